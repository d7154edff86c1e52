def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3
    import re

    def safe_query(db_path: str, query: str, params: tuple = ()) -> list:
        try:
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            cursor = conn.cursor()
            cursor.execute(query, params)
            rows = cursor.fetchall()
            conn.close()
            return rows
        except Exception:
            return []

    rows = safe_query(initial_db_path, "SELECT invoice_number, amount FROM invoices WHERE status = 'exception'")
    if not rows:
        return {"result": "others"}
    expected_numbers = [r[0] for r in rows]
    expected_total = round(sum(r[1] for r in rows), 2)

    final_rows = safe_query(final_db_path, "SELECT id, status, match_status FROM invoices ORDER BY id")
    init_rows = safe_query(initial_db_path, "SELECT id, status, match_status FROM invoices ORDER BY id")
    if final_rows != init_rows:
        return {"result": "others"}

    if not final_answer:
        return {"result": "others"}

    upper = final_answer.upper()
    for number in expected_numbers:
        if number.upper() not in upper:
            return {"result": "others"}

    other_numbers = safe_query(initial_db_path, "SELECT invoice_number FROM invoices WHERE status != 'exception'")
    for (number,) in other_numbers:
        if number.upper() in upper:
            return {"result": "others"}

    text = final_answer.replace(",", "").replace("$", "")
    for token in re.findall(r"\d+(?:\.\d+)?", text):
        try:
            if abs(float(token) - expected_total) < 0.01:
                return {"result": "complete"}
        except ValueError:
            continue
    return {"result": "others"}
