def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    def fetch(db_path, query, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(query, params).fetchall()]
        conn.close()
        return rows

    req_sql = "SELECT id, req_number, status, cost_center_id, total_estimate FROM requisitions WHERE req_number = ?"
    req_initial = fetch(initial_db_path, req_sql, ("REQ-2026-0019",))
    req_final = fetch(final_db_path, req_sql, ("REQ-2026-0019",))
    req_lines = fetch(initial_db_path, "SELECT rl.line_number, i.sku, rl.quantity FROM requisition_lines rl JOIN items i ON i.id = rl.item_id JOIN requisitions r ON r.id = rl.requisition_id WHERE r.req_number = ? ORDER BY rl.line_number", ("REQ-2026-0019",))

    initial_po_ids = {r["id"] for r in fetch(initial_db_path, "SELECT id FROM purchase_orders")}
    po_sql = (
        "SELECT p.id, p.po_number, s.name AS supplier_name, p.cost_center_id, p.requisition_id, p.status, p.total_amount "
        "FROM purchase_orders p JOIN suppliers s ON s.id = p.supplier_id ORDER BY p.id"
    )
    new_pos = [p for p in fetch(final_db_path, po_sql) if p["id"] not in initial_po_ids]
    for p in new_pos:
        p["lines"] = fetch(final_db_path, "SELECT l.line_number, i.sku, l.quantity, l.unit_price, l.line_total FROM po_lines l JOIN items i ON i.id = l.item_id WHERE l.po_id = ? ORDER BY l.line_number", (p["id"],))
        p["approvals"] = fetch(final_db_path, "SELECT id, approver_user_id, decision, amount FROM approvals WHERE po_id = ?", (p["id"],))

    existing_status_changes = []
    init_status = {r["id"]: r["status"] for r in fetch(initial_db_path, "SELECT id, status FROM purchase_orders")}
    for r in fetch(final_db_path, "SELECT id, po_number, status FROM purchase_orders"):
        if r["id"] in init_status and init_status[r["id"]] != r["status"]:
            existing_status_changes.append({"po_number": r["po_number"], "from": init_status[r["id"]], "to": r["status"]})

    linked = [p for p in new_pos if req_initial and p["requisition_id"] == req_initial[0]["id"]]
    return {
        "requisition_initial": req_initial[0] if req_initial else None,
        "requisition_final": req_final[0] if req_final else None,
        "requisition_lines": req_lines,
        "new_purchase_orders": new_pos,
        "new_po_linked_to_requisition": bool(linked),
        "linked_po_supplier_is_northwind": bool(linked and linked[0]["supplier_name"] == "Northwind Office Supply"),
        "linked_po_status": linked[0]["status"] if linked else None,
        "linked_po_has_pending_approval": bool(linked and any(a["decision"] == "pending" for a in linked[0]["approvals"])),
        "existing_po_status_changes": existing_status_changes,
    }
