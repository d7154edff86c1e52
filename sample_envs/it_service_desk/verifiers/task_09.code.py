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

    asset = safe_query(final_db_path, "SELECT id, status FROM assets WHERE asset_tag = ?", ("LT-0450",))
    if not asset:
        return {"result": "others"}
    asset_id, status = asset[0]
    if status != "repair":
        return {"result": "others"}

    ticket = safe_query(final_db_path, "SELECT id FROM tickets WHERE ticket_number = ?", ("INC-1011",))
    if not ticket:
        return {"result": "others"}
    ticket_id = ticket[0][0]

    link = safe_query(final_db_path, "SELECT id FROM ticket_assets WHERE ticket_id = ? AND asset_id = ?", (ticket_id, asset_id))
    init_link = safe_query(initial_db_path, "SELECT id FROM ticket_assets WHERE ticket_id = ? AND asset_id = ?", (ticket_id, asset_id))
    if not link or init_link:
        return {"result": "others"}
    return {"result": "complete"}
