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

    reason = "Supplier cannot meet delivery date"

    po_sql = (
        "SELECT p.status, p.cancel_reason, s.name FROM purchase_orders p "
        "JOIN suppliers s ON s.id = p.supplier_id WHERE p.po_number = ?"
    )
    final_po = safe_query(final_db_path, po_sql, ("PO-2026-0039",))
    if len(final_po) != 1:
        return {"result": "others"}
    status, cancel_reason, supplier_name = final_po[0]
    if supplier_name != "Helix Lab Instruments":
        return {"result": "others"}
    if status != "cancelled":
        return {"result": "others"}
    if (cancel_reason or "").strip() != reason:
        return {"result": "others"}

    supplier = safe_query(final_db_path, "SELECT status, hold_reason FROM suppliers WHERE name = ?", ("Helix Lab Instruments",))
    if len(supplier) != 1:
        return {"result": "others"}
    if supplier[0][0] != "on_hold" or (supplier[0][1] or "").strip() != reason:
        return {"result": "others"}

    return {"result": "complete"}
