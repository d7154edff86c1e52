def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    def fetch(db_path, query, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(query, params).fetchall()]
        conn.close()
        return rows

    supplier_sql = "SELECT id, supplier_code, name, status, hold_reason, payment_terms, updated_at FROM suppliers WHERE name = ?"
    initial = fetch(initial_db_path, supplier_sql, ("Brightline Logistics",))
    final = fetch(final_db_path, supplier_sql, ("Brightline Logistics",))

    all_sql = "SELECT id, status, hold_reason, payment_terms FROM suppliers ORDER BY id"
    init_all = {r["id"]: r for r in fetch(initial_db_path, all_sql)}
    final_all = {r["id"]: r for r in fetch(final_db_path, all_sql)}
    target_ids = {r["id"] for r in final}
    other_changes = [
        {"id": sid, "initial": init_all.get(sid), "final": row}
        for sid, row in final_all.items()
        if sid not in target_ids and init_all.get(sid) != row
    ]

    target_final = final[0] if final else None
    return {
        "expected_status": "on_hold",
        "expected_hold_reason": "Insurance certificate expired on 2026-05-15",
        "brightline_initial": initial[0] if initial else None,
        "brightline_final": target_final,
        "status_is_on_hold": bool(target_final and target_final["status"] == "on_hold"),
        "hold_reason_matches": bool(target_final and (target_final["hold_reason"] or "").strip() == "Insurance certificate expired on 2026-05-15"),
        "payment_terms_unchanged": bool(initial and target_final and initial[0]["payment_terms"] == target_final["payment_terms"]),
        "other_suppliers_changed": other_changes,
    }
