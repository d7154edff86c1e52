def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3

    def query(db_path, sql, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    patient = query(initial_db_path, "SELECT id FROM patients WHERE first_name = 'Noah' AND last_name = 'Kim'")
    provider = query(initial_db_path, "SELECT id FROM providers WHERE full_name = 'Dr. Amara Nwosu'")
    atype = query(initial_db_path, "SELECT id FROM appointment_types WHERE code = 'DERM-NEW'")
    if not patient or not provider or not atype:
        return {"result": "others"}
    patient_id, provider_id, type_id = patient[0][0], provider[0][0], atype[0][0]

    referral = query(
        initial_db_path,
        "SELECT r.id FROM referrals r JOIN specialties s ON s.id = r.specialty_id "
        "WHERE r.patient_id = ? AND r.status = 'pending' AND s.name = 'Dermatology'",
        (patient_id,),
    )
    if len(referral) != 1:
        return {"result": "others"}
    referral_id = referral[0][0]

    final_referral = query(final_db_path, "SELECT status FROM referrals WHERE id = ?", (referral_id,))
    if not final_referral or final_referral[0][0] not in ("accepted", "scheduled"):
        return {"result": "others"}

    booked = query(
        final_db_path,
        "SELECT id, slot_id FROM appointments WHERE patient_id = ? AND provider_id = ? AND appointment_type_id = ? "
        "AND start_time = '2026-04-18 09:00:00' AND status = 'booked' AND referral_id = ?",
        (patient_id, provider_id, type_id, referral_id),
    )
    if len(booked) != 1 or booked[0][1] is None:
        return {"result": "others"}
    slot = query(final_db_path, "SELECT provider_id, start_time FROM availability_slots WHERE id = ?", (booked[0][1],))
    if not slot or slot[0][0] != provider_id or slot[0][1] != "2026-04-18 09:00:00":
        return {"result": "others"}
    initial_ids = {r[0] for r in query(initial_db_path, "SELECT id FROM appointments")}
    if booked[0][0] in initial_ids:
        return {"result": "others"}
    return {"result": "complete"}
