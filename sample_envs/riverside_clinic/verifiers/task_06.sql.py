def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()

    expected_message = (
        "Reminder: your annual physical is tomorrow at 8:30 AM at Riverside Main Clinic. "
        "Please arrive 15 minutes early."
    )
    expected_time = "2026-04-14 17:00:00"
    appts = query(
        initial_db_path,
        "SELECT a.id FROM appointments a JOIN patients p ON p.id = a.patient_id "
        "JOIN providers pr ON pr.id = a.provider_id "
        "WHERE p.first_name = 'Wendell' AND p.last_name = 'Price' AND pr.full_name = 'Dr. Priya Raman' "
        "AND a.start_time = '2026-04-15 08:30:00'",
    )
    result = {"appointment_found": len(appts) == 1}
    if len(appts) != 1:
        return result
    appointment_id = appts[0]["id"]
    result["appointment_id"] = appointment_id

    initial_ids = {r["id"] for r in query(initial_db_path, "SELECT id FROM reminders")}
    final_rows = query(final_db_path, "SELECT * FROM reminders ORDER BY id")
    new_rows = [r for r in final_rows if r["id"] not in initial_ids]
    result["new_reminders"] = [
        {
            "id": r["id"],
            "appointment_id": r["appointment_id"],
            "channel": r["channel"],
            "scheduled_for": r["scheduled_for"],
            "status": r["status"],
            "message": r["message"],
        }
        for r in new_rows
    ]
    matching = [
        r for r in new_rows
        if r["appointment_id"] == appointment_id
        and r["channel"] == "sms"
        and str(r["scheduled_for"]).replace("T", " ")[:19] == expected_time
        and (r["message"] or "").strip() == expected_message
        and r["status"] == "scheduled"
    ]
    result["matching_new_sms_reminders"] = len(matching)
    before = {r["id"]: r["status"] for r in query(initial_db_path, "SELECT id, status FROM reminders")}
    result["existing_reminders_changed"] = sorted(
        r["id"] for r in final_rows if r["id"] in before and before[r["id"]] != r["status"]
    )
    result["task_satisfied"] = len(matching) == 1 and not result["existing_reminders_changed"]
    return result
