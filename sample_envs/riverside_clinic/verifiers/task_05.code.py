def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    patient = query(final_db_path, "SELECT id FROM patients WHERE mrn = ?", ("RC-100310",))
    if not patient:
        return {"result": "others"}
    patient_id = patient[0][0]

    entries = query(
        final_db_path,
        "SELECT id, provider_id, appointment_type_id, priority FROM waitlist_entries "
        "WHERE patient_id = ? AND status = 'waiting'",
        (patient_id,),
    )
    if len(entries) >= 1:
        return {"result": "complete"}
    return {"result": "others"}
