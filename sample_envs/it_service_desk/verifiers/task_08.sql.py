def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    change_number = "CHG-2003"
    expected_comment = "Rollback plan reviewed"
    expected_start = "2026-03-05 22:00:00"
    expected_end = "2026-03-06 01:00:00"

    def fetch(db_path, query, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(query, params).fetchall()]
        conn.close()
        return rows

    cq = "SELECT id, status, planned_start, planned_end, implemented_at FROM change_requests WHERE change_number = ?"
    aq = (
        "SELECT ca.approver_id, ca.decision, ca.comment, ca.decided_at FROM change_approvals ca "
        "JOIN change_requests cr ON cr.id = ca.change_request_id WHERE cr.change_number = ? ORDER BY ca.approver_id"
    )
    init_change = fetch(initial_db_path, cq, (change_number,))
    final_change = fetch(final_db_path, cq, (change_number,))
    result = {"change_number": change_number}
    if not init_change or not final_change:
        result["error"] = "change request missing"
        return result
    result["initial_change"] = init_change[0]
    result["final_change"] = final_change[0]
    result["initial_approvals"] = fetch(initial_db_path, aq, (change_number,))
    result["final_approvals"] = fetch(final_db_path, aq, (change_number,))

    mine = [a for a in result["final_approvals"] if a["approver_id"] == 1]
    result["user1_decision_final"] = mine[0]["decision"] if mine else None
    result["user1_comment_final"] = mine[0]["comment"] if mine else None
    result["user1_approved_with_comment"] = bool(mine) and mine[0]["decision"] == "approved" and (mine[0]["comment"] or "").strip().rstrip(".") == expected_comment
    result["status_scheduled"] = final_change[0]["status"] == "scheduled"
    result["planned_start_matches"] = (final_change[0]["planned_start"] or "")[:19] == expected_start
    result["planned_end_matches"] = (final_change[0]["planned_end"] or "")[:19] == expected_end
    result["all_checks_passed"] = (
        result["user1_approved_with_comment"]
        and result["status_scheduled"]
        and result["planned_start_matches"]
        and result["planned_end_matches"]
    )
    return result
