def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    target = query(
        initial_db_path,
        "SELECT a.id, a.status FROM appointments a "
        "JOIN patients p ON p.id = a.patient_id "
        "JOIN providers pr ON pr.id = a.provider_id "
        "WHERE p.mrn = ? AND pr.full_name = ? AND a.start_time = ?",
        ("RC-100251", "Dr. Priya Raman", "2026-04-14 09:15:00"),
    )
    if len(target) != 1 or target[0][1] != "booked":
        return {"result": "others"}
    appointment_id = target[0][0]

    final = query(final_db_path, "SELECT status, checked_in_at FROM appointments WHERE id = ?", (appointment_id,))
    if not final:
        return {"result": "others"}
    status, checked_in_at = final[0]
    if status != "checked_in" or not checked_in_at:
        return {"result": "others"}

    before = {r[0]: r[1:] for r in query(initial_db_path, "SELECT id, status, start_time, slot_id FROM appointments")}
    after = {r[0]: r[1:] for r in query(final_db_path, "SELECT id, status, start_time, slot_id FROM appointments")}
    if set(before) != set(after):
        return {"result": "others"}
    for appt_id, values in before.items():
        if appt_id != appointment_id and after[appt_id] != values:
            return {"result": "others"}
    return {"result": "complete"}
