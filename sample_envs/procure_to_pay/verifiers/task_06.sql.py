def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    def fetch(db_path, query, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(query, params).fetchall()]
        conn.close()
        return rows

    approval_sql = (
        "SELECT a.id, a.approver_user_id, a.level, a.decision, a.comment, a.decided_at "
        "FROM approvals a JOIN purchase_orders p ON p.id = a.po_id WHERE p.po_number = ? ORDER BY a.id"
    )
    po_sql = "SELECT id, po_number, status, total_amount FROM purchase_orders WHERE po_number = ?"
    approvals_initial = fetch(initial_db_path, approval_sql, ("PO-2026-0047",))
    approvals_final = fetch(final_db_path, approval_sql, ("PO-2026-0047",))
    po_initial = fetch(initial_db_path, po_sql, ("PO-2026-0047",))
    po_final = fetch(final_db_path, po_sql, ("PO-2026-0047",))

    others_sql = "SELECT a.id, a.decision, a.comment FROM approvals a JOIN purchase_orders p ON p.id = a.po_id WHERE p.po_number != ? ORDER BY a.id"
    others_initial = fetch(initial_db_path, others_sql, ("PO-2026-0047",))
    others_final = fetch(final_db_path, others_sql, ("PO-2026-0047",))

    user1_final = [a for a in approvals_final if a["approver_user_id"] == 1]
    rejected = [a for a in user1_final if a["decision"] == "rejected"]
    return {
        "expected_decision": "rejected",
        "expected_comment": "Exceeds quarterly hardware plan",
        "approvals_initial": approvals_initial,
        "approvals_final": approvals_final,
        "user1_approval_rejected": bool(rejected),
        "comment_matches": bool(rejected and (rejected[0]["comment"] or "").strip() == "Exceeds quarterly hardware plan"),
        "po_initial": po_initial[0] if po_initial else None,
        "po_final": po_final[0] if po_final else None,
        "po_no_longer_submitted_or_approved": bool(po_final and po_final[0]["status"] not in ("submitted", "approved")),
        "other_approvals_changed": others_initial != others_final,
    }
