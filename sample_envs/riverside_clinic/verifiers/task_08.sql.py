def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()

    expected_message = "Your visit with Dr. Raman has moved to Friday, April 17 at 9:30 AM."
    target = query(
        initial_db_path,
        "SELECT a.id, a.slot_id, a.start_time, a.status FROM appointments a "
        "JOIN patients p ON p.id = a.patient_id JOIN providers pr ON pr.id = a.provider_id "
        "WHERE p.first_name = 'Elena' AND p.last_name = 'Vasquez' AND pr.full_name = 'Dr. Priya Raman' "
        "AND a.start_time = '2026-04-15 14:00:00'",
    )
    result = {"target_found_in_initial": len(target) == 1}
    if len(target) != 1:
        return result
    appt = target[0]
    new_slot = query(
        initial_db_path,
        "SELECT s.id, s.status FROM availability_slots s JOIN providers pr ON pr.id = s.provider_id "
        "WHERE pr.full_name = 'Dr. Priya Raman' AND s.start_time = '2026-04-17 09:30:00'",
    )
    result["target_slot_initial"] = new_slot[0] if new_slot else None

    final = query(final_db_path, "SELECT id, slot_id, start_time, end_time, status, provider_id FROM appointments WHERE id = ?", (appt["id"],))
    result["appointment_initial"] = appt
    result["appointment_final"] = final[0] if final else None

    old_slot_final = query(final_db_path, "SELECT status FROM availability_slots WHERE id = ?", (appt["slot_id"],))
    result["old_slot_status_final"] = old_slot_final[0]["status"] if old_slot_final else None
    if new_slot:
        new_slot_final = query(final_db_path, "SELECT status FROM availability_slots WHERE id = ?", (new_slot[0]["id"],))
        result["target_slot_status_final"] = new_slot_final[0]["status"] if new_slot_final else None

    initial_appt_ids = {r["id"] for r in query(initial_db_path, "SELECT id FROM appointments")}
    final_patient_appts = query(
        final_db_path,
        "SELECT a.id, a.start_time, a.status FROM appointments a JOIN patients p ON p.id = a.patient_id "
        "WHERE p.first_name = 'Elena' AND p.last_name = 'Vasquez'",
    )
    result["new_appointments_for_patient"] = [r for r in final_patient_appts if r["id"] not in initial_appt_ids]

    initial_rem = {r["id"] for r in query(initial_db_path, "SELECT id FROM reminders")}
    final_rem = query(final_db_path, "SELECT * FROM reminders ORDER BY id")
    result["new_reminders"] = [
        {k: r[k] for k in ("id", "appointment_id", "channel", "scheduled_for", "status", "message")}
        for r in final_rem if r["id"] not in initial_rem
    ]
    result["reminders_for_appointment_final"] = [
        {k: r[k] for k in ("id", "channel", "scheduled_for", "status")}
        for r in final_rem if r["appointment_id"] == appt["id"]
    ]

    moved_ids = {appt["id"]} | {r["id"] for r in result["new_appointments_for_patient"] if r["start_time"] == "2026-04-17 09:30:00"}
    booked_at_new_time = [
        r for r in final_patient_appts
        if r["start_time"] == "2026-04-17 09:30:00" and r["status"] == "booked"
    ]
    result["booked_at_new_time"] = booked_at_new_time
    email_ok = [
        r for r in final_rem
        if r["id"] not in initial_rem
        and r["appointment_id"] in moved_ids
        and r["channel"] == "email"
        and str(r["scheduled_for"]).replace("T", " ")[:19] == "2026-04-16 09:00:00"
        and (r["message"] or "").strip() == expected_message
    ]
    result["matching_new_email_reminders"] = len(email_ok)
    old_still_booked = [r for r in final_patient_appts if r["id"] == appt["id"] and r["start_time"] == "2026-04-15 14:00:00" and r["status"] == "booked"]
    result["old_time_still_booked"] = bool(old_still_booked)
    result["task_satisfied"] = (
        len(booked_at_new_time) == 1
        and not result["old_time_still_booked"]
        and result["old_slot_status_final"] == "open"
        and result.get("target_slot_status_final") == "booked"
        and len(email_ok) == 1
    )
    return result
