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

    price_sql = (
        "SELECT s.name, sp.unit_price, s.status "
        "FROM supplier_prices sp "
        "JOIN suppliers s ON s.id = sp.supplier_id "
        "JOIN items i ON i.id = sp.item_id "
        "WHERE i.sku = ? ORDER BY sp.unit_price ASC"
    )
    rows = safe_query(initial_db_path, price_sql, ("LAP-14-PRO",))
    active = [r for r in rows if r[2] == "active"]
    if not active:
        return {"result": "others"}

    best_name, best_price, _ = active[0]

    if not final_answer:
        return {"result": "others"}

    answer = final_answer.lower()
    if best_name.lower() not in answer:
        return {"result": "others"}

    text = final_answer.replace(",", "").replace("$", "")
    found_price = False
    for token in re.findall(r"\d+(?:\.\d+)?", text):
        try:
            if abs(float(token) - best_price) < 0.01:
                found_price = True
                break
        except ValueError:
            continue
    if not found_price:
        return {"result": "others"}

    final_rows = safe_query(final_db_path, price_sql, ("LAP-14-PRO",))
    if sorted(final_rows) != sorted(rows):
        return {"result": "others"}

    return {"result": "complete"}
