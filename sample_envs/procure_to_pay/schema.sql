-- @table users
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    job_title TEXT,
    department TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_users_department ON users(department);

-- @table approval_limits
CREATE TABLE approval_limits (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL UNIQUE,
    max_po_amount REAL NOT NULL CHECK (max_po_amount >= 0),
    currency TEXT NOT NULL DEFAULT 'USD',
    effective_from TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

-- @table cost_centers
CREATE TABLE cost_centers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    manager_user_id INTEGER,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (manager_user_id) REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idx_cost_centers_manager ON cost_centers(manager_user_id);

-- @table budgets
CREATE TABLE budgets (
    id INTEGER PRIMARY KEY,
    cost_center_id INTEGER NOT NULL,
    fiscal_year INTEGER NOT NULL,
    amount REAL NOT NULL CHECK (amount >= 0),
    committed_amount REAL NOT NULL DEFAULT 0,
    spent_amount REAL NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT 'USD',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (cost_center_id) REFERENCES cost_centers(id) ON DELETE CASCADE,
    UNIQUE (cost_center_id, fiscal_year)
);
CREATE INDEX idx_budgets_fiscal_year ON budgets(fiscal_year);

-- @table suppliers
CREATE TABLE suppliers (
    id INTEGER PRIMARY KEY,
    supplier_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_hold', 'blocked', 'inactive')),
    hold_reason TEXT,
    payment_terms TEXT NOT NULL DEFAULT 'net_30' CHECK (payment_terms IN ('due_on_receipt', 'net_15', 'net_30', 'net_45', 'net_60')),
    contact_name TEXT,
    contact_email TEXT,
    phone TEXT,
    tax_id TEXT,
    rating REAL CHECK (rating IS NULL OR (rating >= 0 AND rating <= 5)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_suppliers_status ON suppliers(status);
CREATE INDEX idx_suppliers_name ON suppliers(name);

-- @table items
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    unit_of_measure TEXT NOT NULL DEFAULT 'each',
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_items_category ON items(category);

-- @table supplier_prices
CREATE TABLE supplier_prices (
    id INTEGER PRIMARY KEY,
    supplier_id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    unit_price REAL NOT NULL CHECK (unit_price >= 0),
    currency TEXT NOT NULL DEFAULT 'USD',
    min_order_qty INTEGER NOT NULL DEFAULT 1 CHECK (min_order_qty >= 1),
    lead_time_days INTEGER,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (supplier_id) REFERENCES suppliers(id) ON DELETE CASCADE,
    FOREIGN KEY (item_id) REFERENCES items(id) ON DELETE CASCADE,
    UNIQUE (supplier_id, item_id)
);
CREATE INDEX idx_supplier_prices_item ON supplier_prices(item_id);

-- @table contracts
CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    contract_number TEXT NOT NULL UNIQUE,
    supplier_id INTEGER NOT NULL,
    owner_user_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'expired', 'terminated')),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    total_value REAL NOT NULL CHECK (total_value >= 0),
    spent_value REAL NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT 'USD',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (supplier_id) REFERENCES suppliers(id) ON DELETE RESTRICT,
    FOREIGN KEY (owner_user_id) REFERENCES users(id) ON DELETE RESTRICT,
    CHECK (end_date >= start_date)
);
CREATE INDEX idx_contracts_supplier ON contracts(supplier_id);
CREATE INDEX idx_contracts_status ON contracts(status);

-- @table requisitions
CREATE TABLE requisitions (
    id INTEGER PRIMARY KEY,
    req_number TEXT NOT NULL UNIQUE,
    requester_user_id INTEGER NOT NULL,
    cost_center_id INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'converted')),
    justification TEXT,
    needed_by TEXT,
    total_estimate REAL NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (requester_user_id) REFERENCES users(id) ON DELETE RESTRICT,
    FOREIGN KEY (cost_center_id) REFERENCES cost_centers(id) ON DELETE RESTRICT
);
CREATE INDEX idx_requisitions_status ON requisitions(status);
CREATE INDEX idx_requisitions_requester ON requisitions(requester_user_id);

-- @table requisition_lines
CREATE TABLE requisition_lines (
    id INTEGER PRIMARY KEY,
    requisition_id INTEGER NOT NULL,
    line_number INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    quantity REAL NOT NULL CHECK (quantity > 0),
    estimated_unit_price REAL NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (requisition_id) REFERENCES requisitions(id) ON DELETE CASCADE,
    FOREIGN KEY (item_id) REFERENCES items(id) ON DELETE RESTRICT,
    UNIQUE (requisition_id, line_number)
);
CREATE INDEX idx_requisition_lines_item ON requisition_lines(item_id);

-- @table purchase_orders
CREATE TABLE purchase_orders (
    id INTEGER PRIMARY KEY,
    po_number TEXT NOT NULL UNIQUE,
    supplier_id INTEGER NOT NULL,
    buyer_user_id INTEGER NOT NULL,
    cost_center_id INTEGER NOT NULL,
    requisition_id INTEGER,
    contract_id INTEGER,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'received', 'closed', 'cancelled')),
    order_date TEXT NOT NULL,
    expected_delivery_date TEXT,
    total_amount REAL NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT 'USD',
    notes TEXT,
    cancel_reason TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (supplier_id) REFERENCES suppliers(id) ON DELETE RESTRICT,
    FOREIGN KEY (buyer_user_id) REFERENCES users(id) ON DELETE RESTRICT,
    FOREIGN KEY (cost_center_id) REFERENCES cost_centers(id) ON DELETE RESTRICT,
    FOREIGN KEY (requisition_id) REFERENCES requisitions(id) ON DELETE SET NULL,
    FOREIGN KEY (contract_id) REFERENCES contracts(id) ON DELETE SET NULL
);
CREATE INDEX idx_purchase_orders_supplier ON purchase_orders(supplier_id);
CREATE INDEX idx_purchase_orders_status ON purchase_orders(status);
CREATE INDEX idx_purchase_orders_cost_center ON purchase_orders(cost_center_id);

-- @table po_lines
CREATE TABLE po_lines (
    id INTEGER PRIMARY KEY,
    po_id INTEGER NOT NULL,
    line_number INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    description TEXT,
    quantity REAL NOT NULL CHECK (quantity > 0),
    unit_price REAL NOT NULL CHECK (unit_price >= 0),
    line_total REAL NOT NULL,
    quantity_received REAL NOT NULL DEFAULT 0 CHECK (quantity_received >= 0),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (po_id) REFERENCES purchase_orders(id) ON DELETE CASCADE,
    FOREIGN KEY (item_id) REFERENCES items(id) ON DELETE RESTRICT,
    UNIQUE (po_id, line_number)
);
CREATE INDEX idx_po_lines_item ON po_lines(item_id);

-- @table approvals
CREATE TABLE approvals (
    id INTEGER PRIMARY KEY,
    po_id INTEGER NOT NULL,
    approver_user_id INTEGER NOT NULL,
    level INTEGER NOT NULL DEFAULT 1,
    decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'rejected', 'escalated')),
    amount REAL NOT NULL,
    comment TEXT,
    requested_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    decided_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (po_id) REFERENCES purchase_orders(id) ON DELETE CASCADE,
    FOREIGN KEY (approver_user_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_approvals_po ON approvals(po_id);
CREATE INDEX idx_approvals_approver_decision ON approvals(approver_user_id, decision);

-- @table goods_receipts
CREATE TABLE goods_receipts (
    id INTEGER PRIMARY KEY,
    receipt_number TEXT NOT NULL UNIQUE,
    po_id INTEGER NOT NULL,
    received_by_user_id INTEGER NOT NULL,
    received_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'posted' CHECK (status IN ('posted', 'reversed')),
    notes TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (po_id) REFERENCES purchase_orders(id) ON DELETE RESTRICT,
    FOREIGN KEY (received_by_user_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_goods_receipts_po ON goods_receipts(po_id);

-- @table goods_receipt_lines
CREATE TABLE goods_receipt_lines (
    id INTEGER PRIMARY KEY,
    receipt_id INTEGER NOT NULL,
    po_line_id INTEGER NOT NULL,
    quantity_received REAL NOT NULL CHECK (quantity_received >= 0),
    quantity_rejected REAL NOT NULL DEFAULT 0 CHECK (quantity_rejected >= 0),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (receipt_id) REFERENCES goods_receipts(id) ON DELETE CASCADE,
    FOREIGN KEY (po_line_id) REFERENCES po_lines(id) ON DELETE RESTRICT,
    UNIQUE (receipt_id, po_line_id)
);
CREATE INDEX idx_goods_receipt_lines_po_line ON goods_receipt_lines(po_line_id);

-- @table invoices
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    invoice_number TEXT NOT NULL,
    supplier_id INTEGER NOT NULL,
    po_id INTEGER,
    invoice_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    amount REAL NOT NULL CHECK (amount >= 0),
    currency TEXT NOT NULL DEFAULT 'USD',
    status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'matched', 'exception', 'approved', 'paid', 'disputed')),
    match_status TEXT NOT NULL DEFAULT 'pending' CHECK (match_status IN ('pending', 'matched', 'mismatch', 'not_required')),
    match_notes TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (supplier_id) REFERENCES suppliers(id) ON DELETE RESTRICT,
    FOREIGN KEY (po_id) REFERENCES purchase_orders(id) ON DELETE SET NULL,
    UNIQUE (supplier_id, invoice_number)
);
CREATE INDEX idx_invoices_status ON invoices(status);
CREATE INDEX idx_invoices_po ON invoices(po_id);

-- @table invoice_lines
CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    po_line_id INTEGER,
    description TEXT,
    quantity REAL NOT NULL CHECK (quantity > 0),
    unit_price REAL NOT NULL CHECK (unit_price >= 0),
    line_total REAL NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (invoice_id) REFERENCES invoices(id) ON DELETE CASCADE,
    FOREIGN KEY (po_line_id) REFERENCES po_lines(id) ON DELETE SET NULL
);
CREATE INDEX idx_invoice_lines_invoice ON invoice_lines(invoice_id);

-- @table payments
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    payment_number TEXT NOT NULL UNIQUE,
    invoice_id INTEGER NOT NULL,
    amount REAL NOT NULL CHECK (amount > 0),
    method TEXT NOT NULL CHECK (method IN ('ach', 'wire', 'check', 'card')),
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'cleared', 'void')),
    payment_date TEXT NOT NULL,
    reference TEXT,
    created_by_user_id INTEGER NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (invoice_id) REFERENCES invoices(id) ON DELETE RESTRICT,
    FOREIGN KEY (created_by_user_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_payments_invoice ON payments(invoice_id);
CREATE INDEX idx_payments_status ON payments(status);
