def verify_task_completion(initial_db_path: str, final_db_path: str, final_answer: str | None = None) -> dict:
    import sqlite3
    import re
    from datetime import datetime

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

    if not final_answer or not isinstance(final_answer, str):
        return {"result": "others"}

    rows = safe_query(
        initial_db_path,
        "SELECT a.asset_tag, a.warranty_expires_on FROM ticket_assets ta "
        "JOIN tickets t ON t.id = ta.ticket_id JOIN assets a ON a.id = ta.asset_id "
        "WHERE t.ticket_number = ? AND a.asset_type = 'laptop'",
        ("INC-1007",),
    )
    if len(rows) != 1:
        return {"result": "others"}
    tag, warranty = rows[0]
    if not tag or not warranty:
        return {"result": "others"}

    answer = final_answer.upper()
    if tag.upper() not in answer:
        return {"result": "others"}

    try:
        d = datetime.strptime(warranty[:10], "%Y-%m-%d")
    except Exception:
        return {"result": "others"}
    variants = {
        d.strftime("%Y-%m-%d"),
        d.strftime("%m/%d/%Y"),
        d.strftime("%d/%m/%Y"),
        f"{d.strftime('%B')} {d.day}, {d.year}",
        f"{d.strftime('%B')} {d.day} {d.year}",
        f"{d.day} {d.strftime('%B')} {d.year}",
        f"{d.strftime('%b')} {d.day}, {d.year}",
        f"{d.day} {d.strftime('%b')} {d.year}",
    }
    if not any(v.upper() in answer for v in variants):
        return {"result": "others"}

    other_laptops = safe_query(initial_db_path, "SELECT asset_tag FROM assets WHERE asset_type = 'laptop' AND asset_tag != ?", (tag,))
    for (other,) in other_laptops:
        if other and re.search(r"\b" + re.escape(other.upper()) + r"\b", answer):
            return {"result": "others"}
    return {"result": "complete"}
