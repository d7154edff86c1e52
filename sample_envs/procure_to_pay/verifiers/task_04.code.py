def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3

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

    target_terms = "net_45"

    supplier = safe_query(final_db_path, "SELECT id FROM suppliers WHERE name LIKE ?", ("%Acme Industrial%",))
    if not supplier:
        return {"result": "others"}

    init_count = safe_query(initial_db_path, "SELECT COUNT(*) FROM suppliers WHERE payment_terms = ?", (target_terms,))
    final_count = safe_query(final_db_path, "SELECT COUNT(*) FROM suppliers WHERE payment_terms = ?", (target_terms,))
    if not init_count or not final_count:
        return {"result": "others"}

    if final_count[0][0] >= 1 and final_count[0][0] >= init_count[0][0]:
        return {"result": "complete"}
    return {"result": "others"}
