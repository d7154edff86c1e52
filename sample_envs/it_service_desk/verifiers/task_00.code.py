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

    expected_rows = safe_query(
        initial_db_path,
        "SELECT DISTINCT t.ticket_number FROM sla_breaches b JOIN tickets t ON t.id = b.ticket_id "
        "WHERE t.assignee_id = 1 AND b.is_acknowledged = 0",
    )
    expected = {r[0] for r in expected_rows if r[0]}
    if not expected:
        return {"result": "others"}

    distractor_rows = safe_query(
        initial_db_path,
        "SELECT DISTINCT t.ticket_number FROM sla_breaches b JOIN tickets t ON t.id = b.ticket_id",
    )
    distractors = {r[0] for r in distractor_rows if r[0]} - expected

    mentioned = set(re.findall(r"INC-\d{4}", final_answer.upper()))
    if not expected.issubset(mentioned):
        return {"result": "others"}
    if mentioned & distractors:
        return {"result": "others"}
    return {"result": "complete"}
