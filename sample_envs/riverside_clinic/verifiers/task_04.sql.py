def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()

    expected_reason = "Patient traveling out of state"
    targets = query(
        initial_db_path,
        "SELECT a.id, a.status, a.slot_id, a.referral_id, a.start_time FROM appointments a "
        "JOIN patients p ON p.id = a.patient_id JOIN providers pr ON pr.id = a.provider_id "
        "WHERE p.first_name = 'Jonah' AND p.last_name = 'Pierce' AND pr.full_name = 'Dr. Lena Fischer' "
        "AND a.start_time = '2026-04-17 11:00:00'",
    )
    result = {"target_found_in_initial": len(targets) == 1}
    if len(targets) != 1:
        return result
    target = targets[0]
    appointment_id = target["id"]
    final_rows = query(final_db_path, "SELECT status, cancel_reason, slot_id FROM appointments WHERE id = ?", (appointment_id,))
    final = final_rows[0] if final_rows else {}
    result["appointment_id"] = appointment_id
    result["initial_status"] = target["status"]
    result["final_status"] = final.get("status")
    result["final_cancel_reason"] = final.get("cancel_reason")
    result["cancel_reason_matches"] = (final.get("cancel_reason") or "").strip().lower() == expected_reason.lower()

    if target["slot_id"] is not None:
        slot_initial = query(initial_db_path, "SELECT status FROM availability_slots WHERE id = ?", (target["slot_id"],))
        slot_final = query(final_db_path, "SELECT status FROM availability_slots WHERE id = ?", (target["slot_id"],))
        result["slot_id"] = target["slot_id"]
        result["slot_status_initial"] = slot_initial[0]["status"] if slot_initial else None
        result["slot_status_final"] = slot_final[0]["status"] if slot_final else None
    if target["referral_id"] is not None:
        ref_initial = query(initial_db_path, "SELECT status FROM referrals WHERE id = ?", (target["referral_id"],))
        ref_final = query(final_db_path, "SELECT status FROM referrals WHERE id = ?", (target["referral_id"],))
        result["linked_referral_status_initial"] = ref_initial[0]["status"] if ref_initial else None
        result["linked_referral_status_final"] = ref_final[0]["status"] if ref_final else None

    before = {r["id"]: (r["status"], r["start_time"]) for r in query(initial_db_path, "SELECT id, status, start_time FROM appointments")}
    after = {r["id"]: (r["status"], r["start_time"]) for r in query(final_db_path, "SELECT id, status, start_time FROM appointments")}
    result["other_appointments_changed"] = sorted(
        i for i in before if i != appointment_id and after.get(i) != before[i]
    )
    result["appointments_added"] = sorted(set(after) - set(before))
    result["task_satisfied"] = (
        result["final_status"] == "cancelled"
        and result["cancel_reason_matches"]
        and not result["other_appointments_changed"]
    )
    return result
