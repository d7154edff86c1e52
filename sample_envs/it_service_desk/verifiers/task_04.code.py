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

    requester = safe_query(final_db_path, "SELECT id FROM users WHERE full_name = ?", ("Priya Shah",))
    if not requester:
        return {"result": "others"}
    requester_id = requester[0][0]

    closed = safe_query(
        final_db_path,
        "SELECT id, ticket_number, closed_at FROM tickets WHERE requester_id = ? AND status = 'closed'",
        (requester_id,),
    )
    if not closed:
        return {"result": "others"}

    for row in closed:
        if row[2] is None:
            return {"result": "others"}
    return {"result": "complete"}
