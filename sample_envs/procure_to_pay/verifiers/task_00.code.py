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

    budget_sql = (
        "SELECT b.id, b.amount, b.committed_amount, b.spent_amount "
        "FROM budgets b JOIN cost_centers c ON c.id = b.cost_center_id "
        "WHERE c.code = ? AND b.fiscal_year = ?"
    )
    init_rows = safe_query(initial_db_path, budget_sql, ("IT-OPS", 2026))
    final_rows = safe_query(final_db_path, budget_sql, ("IT-OPS", 2026))
    if len(init_rows) != 1 or len(final_rows) != 1:
        return {"result": "others"}

    _, amount, committed, spent = init_rows[0]
    expected = round(amount - committed - spent, 2)

    if tuple(init_rows[0]) != tuple(final_rows[0]):
        return {"result": "others"}

    if not final_answer:
        return {"result": "others"}

    text = final_answer.replace(",", "").replace("$", "")
    numbers = []
    for token in re.findall(r"-?\d+(?:\.\d+)?", text):
        try:
            numbers.append(float(token))
        except ValueError:
            continue

    for value in numbers:
        if abs(value - expected) < 0.01:
            return {"result": "complete"}
    return {"result": "others"}
