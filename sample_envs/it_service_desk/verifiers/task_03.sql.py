def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    target_ticket = "INC-1012"
    expected_body = "Replaced the docking station; monitoring for 24 hours before resolving."

    def fetch(db_path, query, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(query, params).fetchall()]
        conn.close()
        return rows

    result = {"target_ticket": target_ticket, "expected_body": expected_body}
    ticket_rows = fetch(final_db_path, "SELECT id, status, assignee_id FROM tickets WHERE ticket_number = ?", (target_ticket,))
    if not ticket_rows:
        result["error"] = "ticket not found in final database"
        return result
    ticket_id = ticket_rows[0]["id"]
    result["ticket_id"] = ticket_id
    result["ticket_status_final"] = ticket_rows[0]["status"]

    initial_comments = fetch(initial_db_path, "SELECT id, author_id, body, is_internal FROM ticket_comments WHERE ticket_id = ?", (ticket_id,))
    final_comments = fetch(final_db_path, "SELECT id, author_id, body, is_internal, created_at FROM ticket_comments WHERE ticket_id = ?", (ticket_id,))
    initial_ids = {c["id"] for c in initial_comments}
    new_comments = [c for c in final_comments if c["id"] not in initial_ids]
    result["initial_comment_count"] = len(initial_comments)
    result["final_comment_count"] = len(final_comments)
    result["new_comments"] = new_comments

    matching = [c for c in new_comments if (c["body"] or "").strip() == expected_body]
    result["new_comment_with_exact_text_exists"] = len(matching) > 0
    result["matching_comment_is_internal"] = any(c["is_internal"] == 1 for c in matching)
    result["matching_comment_author_is_user_1"] = any(c["author_id"] == 1 for c in matching)

    other_ticket_changes = fetch(
        final_db_path,
        "SELECT COUNT(*) AS n FROM ticket_comments WHERE ticket_id != ?",
        (ticket_id,),
    )[0]["n"] - fetch(initial_db_path, "SELECT COUNT(*) AS n FROM ticket_comments WHERE ticket_id != ?", (ticket_id,))[0]["n"]
    result["comments_added_to_other_tickets"] = other_ticket_changes
    result["all_checks_passed"] = (
        result["new_comment_with_exact_text_exists"]
        and result["matching_comment_is_internal"]
        and result["matching_comment_author_is_user_1"]
        and other_ticket_changes == 0
    )
    return result
