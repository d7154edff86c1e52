def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3
    import re

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    rows = query(
        initial_db_path,
        "SELECT DISTINCT p.first_name || ' ' || p.last_name FROM referrals r "
        "JOIN patients p ON p.id = r.patient_id "
        "WHERE r.urgency = 'urgent' AND r.status = 'pending'",
    )
    names = [r[0] for r in rows]
    if not names:
        return {"result": "others"}

    before = query(initial_db_path, "SELECT id, status, urgency FROM referrals ORDER BY id")
    after = query(final_db_path, "SELECT id, status, urgency FROM referrals ORDER BY id")
    if before != after:
        return {"result": "others"}

    if not final_answer:
        return {"result": "others"}
    answer = final_answer.lower()
    number_words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    count = len(names)
    if not re.search(r"\b(" + str(count) + "|" + number_words.get(count, str(count)) + r")\b", answer):
        return {"result": "others"}
    for name in names:
        if name.lower() not in answer:
            return {"result": "others"}
    return {"result": "complete"}
