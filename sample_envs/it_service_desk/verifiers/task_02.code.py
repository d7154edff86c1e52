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

    if not final_answer or not isinstance(final_answer, str):
        return {"result": "others"}

    rows = safe_query(
        initial_db_path,
        "SELECT COALESCE(SUM(w.minutes), 0), COUNT(w.id) FROM worklogs w JOIN tickets t ON t.id = w.ticket_id WHERE t.ticket_number = ?",
        ("INC-1003",),
    )
    if not rows or rows[0][1] == 0:
        return {"result": "others"}
    expected_total = int(rows[0][0])

    text = final_answer.replace(",", "")
    text = re.sub(r"INC-\d+", " ", text, flags=re.IGNORECASE)
    numbers = [int(n) for n in re.findall(r"(?<![\d.])(\d+)(?![\d.])", text)]
    if expected_total not in numbers:
        hours = expected_total / 60.0
        hour_patterns = [f"{hours:.2f}".rstrip("0").rstrip("."), f"{hours:.1f}"]
        if not any(re.search(r"\b" + re.escape(p) + r"\s*h", final_answer, re.IGNORECASE) for p in hour_patterns):
            return {"result": "others"}

    final_rows = safe_query(
        final_db_path,
        "SELECT COALESCE(SUM(w.minutes), 0) FROM worklogs w JOIN tickets t ON t.id = w.ticket_id WHERE t.ticket_number = ?",
        ("INC-1003",),
    )
    if not final_rows or int(final_rows[0][0]) != expected_total:
        return {"result": "others"}
    return {"result": "complete"}
