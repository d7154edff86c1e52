def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    def fetch(db_path, query, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(query, params).fetchall()]
        conn.close()
        return rows

    po_sql = "SELECT id, po_number, status, total_amount FROM purchase_orders WHERE po_number = ?"
    po_initial = fetch(initial_db_path, po_sql, ("PO-2026-0051",))
    po_final = fetch(final_db_path, po_sql, ("PO-2026-0051",))

    lines_sql = (
        "SELECT l.id, l.line_number, i.sku, l.quantity, l.unit_price, l.line_total "
        "FROM po_lines l JOIN items i ON i.id = l.item_id "
        "JOIN purchase_orders p ON p.id = l.po_id WHERE p.po_number = ? ORDER BY l.line_number"
    )
    lines_initial = fetch(initial_db_path, lines_sql, ("PO-2026-0051",))
    lines_final = fetch(final_db_path, lines_sql, ("PO-2026-0051",))
    line3 = [l for l in lines_final if l["line_number"] == 3]

    other_sql = "SELECT COUNT(*) AS n FROM po_lines l JOIN purchase_orders p ON p.id = l.po_id WHERE p.po_number != ?"
    other_initial = fetch(initial_db_path, other_sql, ("PO-2026-0051",))[0]["n"]
    other_final = fetch(final_db_path, other_sql, ("PO-2026-0051",))[0]["n"]

    sum_final = round(sum(l["line_total"] for l in lines_final), 2)
    return {
        "expected_line": {"line_number": 3, "sku": "MON-27-4K", "quantity": 10, "unit_price": 289.0, "line_total": 2890.0},
        "po_initial": po_initial[0] if po_initial else None,
        "po_final": po_final[0] if po_final else None,
        "lines_initial": lines_initial,
        "lines_final": lines_final,
        "line_3_final": line3[0] if line3 else None,
        "line_3_matches": bool(line3 and line3[0]["sku"] == "MON-27-4K" and abs(line3[0]["quantity"] - 10) < 1e-9 and abs(line3[0]["unit_price"] - 289.0) < 0.005),
        "sum_of_final_line_totals": sum_final,
        "po_total_equals_line_sum": bool(po_final and abs(po_final[0]["total_amount"] - sum_final) < 0.01),
        "lines_on_other_pos_initial": other_initial,
        "lines_on_other_pos_final": other_final,
    }
