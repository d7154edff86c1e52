def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3
    import re

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    provider = query(initial_db_path, "SELECT id FROM providers WHERE full_name = ?", ("Dr. Priya Raman",))
    if not provider:
        return {"result": "others"}
    provider_id = provider[0][0]

    booked = query(
        initial_db_path,
        "SELECT a.start_time, p.first_name || ' ' || p.last_name FROM appointments a "
        "JOIN patients p ON p.id = a.patient_id "
        "WHERE a.provider_id = ? AND a.start_time LIKE '2026-04-15%' AND a.status = 'booked' "
        "ORDER BY a.start_time",
        (provider_id,),
    )
    if not booked:
        return {"result": "others"}
    expected_count = len(booked)
    earliest_name = booked[0][1]

    before = query(initial_db_path, "SELECT id, status, start_time, slot_id FROM appointments ORDER BY id")
    after = query(final_db_path, "SELECT id, status, start_time, slot_id FROM appointments ORDER BY id")
    if before != after:
        return {"result": "others"}

    if not final_answer:
        return {"result": "others"}
    answer = final_answer.lower()

    number_words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    count_pattern = r"\b(" + str(expected_count) + "|" + number_words.get(expected_count, str(expected_count)) + r")\b"
    if not re.search(count_pattern, answer):
        return {"result": "others"}
    if earliest_name.lower() not in answer:
        return {"result": "others"}
    return {"result": "complete"}
