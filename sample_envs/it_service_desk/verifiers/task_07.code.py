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

    def norm(s):
        return re.sub(r"[^a-z0-9]+", " ", (s or "").lower()).strip()

    ticket = safe_query(final_db_path, "SELECT id, priority FROM tickets WHERE ticket_number = ?", ("INC-1004",))
    init_ticket = safe_query(initial_db_path, "SELECT id, priority FROM tickets WHERE ticket_number = ?", ("INC-1004",))
    if not ticket or not init_ticket:
        return {"result": "others"}
    ticket_id, final_priority = ticket[0]
    if final_priority != "critical":
        return {"result": "others"}

    team = safe_query(final_db_path, "SELECT id FROM teams WHERE name = ?", ("Network Operations",))
    if not team:
        return {"result": "others"}
    team_id = team[0][0]

    initial_ids = {r[0] for r in safe_query(initial_db_path, "SELECT id FROM escalations WHERE ticket_id = ?", (ticket_id,))}
    final_rows = safe_query(final_db_path, "SELECT id, to_team_id, level, reason, escalated_by FROM escalations WHERE ticket_id = ?", (ticket_id,))
    new_rows = [r for r in final_rows if r[0] not in initial_ids]
    if not new_rows:
        return {"result": "others"}

    expected_reason = norm("Wi-Fi outage affecting all of floor 3")
    for _id, to_team_id, level, reason, escalated_by in new_rows:
        if to_team_id == team_id and level == 2 and norm(reason) == expected_reason:
            return {"result": "complete"}
    return {"result": "others"}
