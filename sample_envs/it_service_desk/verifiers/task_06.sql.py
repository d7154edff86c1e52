def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    import sqlite3

    expected_title = "Resetting MFA after getting a new phone"
    expected_body = "Open the self-service portal, go to Security > MFA devices, remove the old phone, then scan the new QR code with the authenticator app."
    expected_category = "Access & Identity"

    def fetch(db_path, query, params=()):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(query, params).fetchall()]
        conn.close()
        return rows

    q = (
        "SELECT a.id, a.title, a.slug, a.body, a.status, a.author_id, a.published_at, c.name AS category_name "
        "FROM kb_articles a LEFT JOIN categories c ON c.id = a.category_id WHERE lower(a.title) = lower(?)"
    )
    initial = fetch(initial_db_path, q, (expected_title,))
    final = fetch(final_db_path, q, (expected_title,))
    initial_ids = {r["id"] for r in initial}
    new_rows = [r for r in final if r["id"] not in initial_ids]

    result = {
        "expected_title": expected_title,
        "expected_category": expected_category,
        "initial_matching_articles": initial,
        "final_matching_articles": final,
        "new_articles": new_rows,
        "initial_article_count": fetch(initial_db_path, "SELECT COUNT(*) AS n FROM kb_articles")[0]["n"],
        "final_article_count": fetch(final_db_path, "SELECT COUNT(*) AS n FROM kb_articles")[0]["n"],
    }
    good = [
        r for r in new_rows
        if r["title"] == expected_title
        and (r["body"] or "").strip() == expected_body
        and r["category_name"] == expected_category
        and r["status"] == "published"
    ]
    result["new_article_created"] = len(new_rows) > 0
    result["new_article_body_matches"] = any((r["body"] or "").strip() == expected_body for r in new_rows)
    result["new_article_in_expected_category"] = any(r["category_name"] == expected_category for r in new_rows)
    result["new_article_is_published"] = any(r["status"] == "published" for r in new_rows)
    result["all_checks_passed"] = len(good) == 1
    return result
