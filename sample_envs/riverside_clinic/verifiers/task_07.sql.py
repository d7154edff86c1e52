def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()

    patient = query(initial_db_path, "SELECT id FROM patients WHERE first_name = 'Thomas' AND last_name = 'Reed'")
    provider = query(initial_db_path, "SELECT id FROM providers WHERE full_name = 'Dr. Samuel Okafor'")
    result = {"patient_found": bool(patient), "provider_found": bool(provider)}
    if not patient or not provider:
        return result
    patient_id, provider_id = patient[0]["id"], provider[0]["id"]

    referrals = query(
        initial_db_path,
        "SELECT r.id, r.status FROM referrals r JOIN specialties s ON s.id = r.specialty_id "
        "WHERE r.patient_id = ? AND r.urgency = 'urgent' AND r.status = 'pending' AND s.name = 'Cardiology'",
        (patient_id,),
    )
    result["pending_urgent_cardiology_referrals_initial"] = [r["id"] for r in referrals]
    if len(referrals) != 1:
        return result
    referral_id = referrals[0]["id"]
    final_ref = query(final_db_path, "SELECT status, responded_at FROM referrals WHERE id = ?", (referral_id,))
    result["referral_status_initial"] = referrals[0]["status"]
    result["referral_status_final"] = final_ref[0]["status"] if final_ref else None

    open_slots = query(
        initial_db_path,
        "SELECT id, start_time FROM availability_slots WHERE provider_id = ? AND status = 'open' "
        "AND start_time LIKE '2026-04-16%' ORDER BY start_time LIMIT 1",
        (provider_id,),
    )
    expected_slot = open_slots[0] if open_slots else None
    result["expected_slot"] = expected_slot

    initial_ids = {r["id"] for r in query(initial_db_path, "SELECT id FROM appointments")}
    new_appts = [
        r for r in query(
            final_db_path,
            "SELECT a.id, a.patient_id, a.provider_id, a.slot_id, a.referral_id, a.start_time, a.end_time, a.status, "
            "a.reason, t.code AS type_code FROM appointments a JOIN appointment_types t ON t.id = a.appointment_type_id "
            "WHERE a.patient_id = ?",
            (patient_id,),
        )
        if r["id"] not in initial_ids
    ]
    result["new_appointments_for_patient"] = new_appts
    if expected_slot:
        slot_final = query(final_db_path, "SELECT status FROM availability_slots WHERE id = ?", (expected_slot["id"],))
        result["expected_slot_status_final"] = slot_final[0]["status"] if slot_final else None
        holders = query(
            final_db_path,
            "SELECT id, patient_id FROM appointments WHERE slot_id = ? AND status != 'cancelled'",
            (expected_slot["id"],),
        )
        result["active_appointments_in_expected_slot"] = holders

    good = [
        a for a in new_appts
        if expected_slot is not None
        and a["provider_id"] == provider_id
        and a["slot_id"] == expected_slot["id"]
        and a["start_time"] == expected_slot["start_time"]
        and a["type_code"] == "CARD-CONSULT"
        and a["referral_id"] == referral_id
        and a["status"] == "booked"
        and (a["reason"] or "").strip().lower() == "exertional chest tightness"
    ]
    result["matching_new_appointments"] = len(good)
    result["task_satisfied"] = (
        len(good) == 1
        and len(new_appts) == 1
        and result["referral_status_final"] in ("accepted", "scheduled")
    )
    return result
