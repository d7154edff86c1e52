def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    rows = query(
        initial_db_path,
        "SELECT ip.plan_name, pc.member_id FROM patient_coverages pc "
        "JOIN patients p ON p.id = pc.patient_id "
        "JOIN insurance_plans ip ON ip.id = pc.plan_id "
        "WHERE p.mrn = ? AND pc.priority = 'primary' AND pc.is_active = 1",
        ("RC-100245",),
    )
    if len(rows) != 1:
        return {"result": "others"}
    plan_name, member_id = rows[0]

    before = query(initial_db_path, "SELECT * FROM patient_coverages ORDER BY id")
    after = query(final_db_path, "SELECT * FROM patient_coverages ORDER BY id")
    if before != after:
        return {"result": "others"}

    if not final_answer:
        return {"result": "others"}
    answer = final_answer.lower()
    if member_id.lower() not in answer:
        return {"result": "others"}
    if plan_name.lower() not in answer:
        return {"result": "others"}
    return {"result": "complete"}
