def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    target_ticket = "INC-1015"

    def fetch(db_path, query, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(query, params).fetchall()]
        conn.close()
        return rows

    q = (
        "SELECT t.id, t.priority, t.status, t.assignee_id, t.team_id, t.sla_policy_id, p.priority AS policy_priority, "
        "p.name AS policy_name, t.response_due_at, t.resolution_due_at FROM tickets t "
        "LEFT JOIN sla_policies p ON p.id = t.sla_policy_id WHERE t.ticket_number = ?"
    )
    initial = fetch(initial_db_path, q, (target_ticket,))
    final = fetch(final_db_path, q, (target_ticket,))
    result = {"target_ticket": target_ticket, "expected_priority": "high"}
    if not initial or not final:
        result["error"] = "ticket missing"
        return result
    result["initial"] = initial[0]
    result["final"] = final[0]
    result["priority_changed_to_high"] = initial[0]["priority"] == "medium" and final[0]["priority"] == "high"
    result["sla_policy_matches_priority"] = final[0]["policy_priority"] == final[0]["priority"]
    result["status_unchanged"] = initial[0]["status"] == final[0]["status"]
    result["assignee_unchanged"] = initial[0]["assignee_id"] == final[0]["assignee_id"]

    all_q = "SELECT ticket_number, priority FROM tickets ORDER BY id"
    init_all = {r["ticket_number"]: r["priority"] for r in fetch(initial_db_path, all_q)}
    final_all = {r["ticket_number"]: r["priority"] for r in fetch(final_db_path, all_q)}
    result["other_tickets_with_priority_change"] = sorted(
        k for k in final_all if k != target_ticket and init_all.get(k) != final_all.get(k)
    )
    result["all_checks_passed"] = (
        result["priority_changed_to_high"]
        and result["sla_policy_matches_priority"]
        and result["status_unchanged"]
        and not result["other_tickets_with_priority_change"]
    )
    return result
