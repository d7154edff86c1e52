def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3

    def safe_query(db_path: str, query: str, params: tuple = ()) -> list:
        try:
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            cursor = conn.cursor()
            cursor.execute(query, params)
            rows = cursor.fetchall()
            conn.close()
            return rows
        except Exception:
            return []

    line_sql = (
        "SELECT l.id, l.quantity, l.quantity_received FROM po_lines l "
        "JOIN purchase_orders p ON p.id = l.po_id JOIN items i ON i.id = l.item_id "
        "WHERE p.po_number = ? AND i.sku = ?"
    )
    init_line = safe_query(initial_db_path, line_sql, ("PO-2026-0044", "BRG-6204"))
    final_line = safe_query(final_db_path, line_sql, ("PO-2026-0044", "BRG-6204"))
    if len(init_line) != 1 or len(final_line) != 1:
        return {"result": "others"}
    line_id, ordered, init_received = init_line[0]
    outstanding = ordered - init_received
    if outstanding <= 0:
        return {"result": "others"}
    if abs(final_line[0][2] - ordered) > 1e-6:
        return {"result": "others"}

    receipt_sql = (
        "SELECT r.id, r.received_date, rl.quantity_received FROM goods_receipts r "
        "JOIN goods_receipt_lines rl ON rl.receipt_id = r.id WHERE rl.po_line_id = ?"
    )
    init_receipts = {row[0] for row in safe_query(initial_db_path, receipt_sql, (line_id,))}
    new_receipts = [row for row in safe_query(final_db_path, receipt_sql, (line_id,)) if row[0] not in init_receipts]
    if not new_receipts:
        return {"result": "others"}
    if abs(sum(row[2] for row in new_receipts) - outstanding) > 1e-6:
        return {"result": "others"}
    if not any(row[1] == "2026-05-20" for row in new_receipts):
        return {"result": "others"}

    inv_sql = (
        "SELECT i.status, i.match_status FROM invoices i JOIN suppliers s ON s.id = i.supplier_id "
        "WHERE i.invoice_number = ? AND s.name = ?"
    )
    final_inv = safe_query(final_db_path, inv_sql, ("INV-AC-5521", "Acme Industrial Parts"))
    if len(final_inv) != 1:
        return {"result": "others"}
    if final_inv[0][1] != "matched" or final_inv[0][0] != "approved":
        return {"result": "others"}

    dup = safe_query(final_db_path, inv_sql, ("INV-AC-5490", "Acme Industrial Parts"))
    if dup and dup[0][0] in ("approved", "paid"):
        return {"result": "others"}

    return {"result": "complete"}
