-- @table users
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    job_title TEXT,
    department TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'requester' CHECK (role IN ('agent', 'requester', 'manager')),
    phone TEXT,
    location TEXT,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_users_role ON users(role);
CREATE INDEX idx_users_department ON users(department);

-- @table teams
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    email TEXT,
    lead_user_id INTEGER,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (lead_user_id) REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idx_teams_lead ON teams(lead_user_id);

-- @table team_members
CREATE TABLE team_members (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    member_role TEXT NOT NULL DEFAULT 'member' CHECK (member_role IN ('member', 'lead')),
    joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (team_id, user_id),
    FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE CASCADE,
    FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX idx_team_members_user ON team_members(user_id);

-- @table categories
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    default_team_id INTEGER,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (default_team_id) REFERENCES teams(id) ON DELETE SET NULL
);
CREATE INDEX idx_categories_team ON categories(default_team_id);

-- @table sla_policies
CREATE TABLE sla_policies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    priority TEXT NOT NULL UNIQUE CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    response_minutes INTEGER NOT NULL CHECK (response_minutes > 0),
    resolution_minutes INTEGER NOT NULL CHECK (resolution_minutes > 0),
    business_hours_only INTEGER NOT NULL DEFAULT 1 CHECK (business_hours_only IN (0, 1)),
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- @table tickets
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    ticket_number TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    description TEXT,
    requester_id INTEGER NOT NULL,
    assignee_id INTEGER,
    team_id INTEGER,
    category_id INTEGER,
    priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'resolved', 'closed')),
    channel TEXT NOT NULL DEFAULT 'portal' CHECK (channel IN ('portal', 'email', 'phone', 'chat', 'walk_in')),
    sla_policy_id INTEGER,
    response_due_at DATETIME,
    resolution_due_at DATETIME,
    first_response_at DATETIME,
    resolved_at DATETIME,
    closed_at DATETIME,
    resolution_notes TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (requester_id) REFERENCES users(id) ON DELETE RESTRICT,
    FOREIGN KEY (assignee_id) REFERENCES users(id) ON DELETE SET NULL,
    FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE SET NULL,
    FOREIGN KEY (category_id) REFERENCES categories(id) ON DELETE SET NULL,
    FOREIGN KEY (sla_policy_id) REFERENCES sla_policies(id) ON DELETE SET NULL
);
CREATE INDEX idx_tickets_requester ON tickets(requester_id);
CREATE INDEX idx_tickets_assignee_status ON tickets(assignee_id, status);
CREATE INDEX idx_tickets_team ON tickets(team_id);
CREATE INDEX idx_tickets_priority ON tickets(priority);

-- @table ticket_comments
CREATE TABLE ticket_comments (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    is_internal INTEGER NOT NULL DEFAULT 0 CHECK (is_internal IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (ticket_id) REFERENCES tickets(id) ON DELETE CASCADE,
    FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_ticket_comments_ticket ON ticket_comments(ticket_id, created_at);

-- @table worklogs
CREATE TABLE worklogs (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    note TEXT,
    work_date TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (ticket_id) REFERENCES tickets(id) ON DELETE CASCADE,
    FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_worklogs_ticket ON worklogs(ticket_id);
CREATE INDEX idx_worklogs_user_date ON worklogs(user_id, work_date);

-- @table sla_breaches
CREATE TABLE sla_breaches (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    sla_policy_id INTEGER NOT NULL,
    breach_type TEXT NOT NULL CHECK (breach_type IN ('response', 'resolution')),
    due_at DATETIME NOT NULL,
    breached_at DATETIME NOT NULL,
    is_acknowledged INTEGER NOT NULL DEFAULT 0 CHECK (is_acknowledged IN (0, 1)),
    acknowledged_by INTEGER,
    acknowledged_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (ticket_id, breach_type),
    FOREIGN KEY (ticket_id) REFERENCES tickets(id) ON DELETE CASCADE,
    FOREIGN KEY (sla_policy_id) REFERENCES sla_policies(id) ON DELETE RESTRICT,
    FOREIGN KEY (acknowledged_by) REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idx_sla_breaches_ack ON sla_breaches(is_acknowledged);

-- @table assets
CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    asset_tag TEXT NOT NULL UNIQUE,
    asset_type TEXT NOT NULL CHECK (asset_type IN ('laptop', 'desktop', 'monitor', 'phone', 'peripheral', 'software_license')),
    manufacturer TEXT,
    model TEXT NOT NULL,
    serial_number TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'in_stock' CHECK (status IN ('in_stock', 'in_use', 'repair', 'retired')),
    assigned_to_id INTEGER,
    seat_count INTEGER CHECK (seat_count IS NULL OR seat_count > 0),
    purchase_date TEXT,
    warranty_expires_on TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (assigned_to_id) REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idx_assets_assigned ON assets(assigned_to_id);
CREATE INDEX idx_assets_type_status ON assets(asset_type, status);

-- @table ticket_assets
CREATE TABLE ticket_assets (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    asset_id INTEGER NOT NULL,
    linked_by INTEGER NOT NULL,
    note TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (ticket_id, asset_id),
    FOREIGN KEY (ticket_id) REFERENCES tickets(id) ON DELETE CASCADE,
    FOREIGN KEY (asset_id) REFERENCES assets(id) ON DELETE CASCADE,
    FOREIGN KEY (linked_by) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_ticket_assets_asset ON ticket_assets(asset_id);

-- @table kb_articles
CREATE TABLE kb_articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    category_id INTEGER,
    author_id INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    view_count INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    published_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (category_id) REFERENCES categories(id) ON DELETE SET NULL,
    FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_kb_articles_category_status ON kb_articles(category_id, status);

-- @table ticket_kb_links
CREATE TABLE ticket_kb_links (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    linked_by INTEGER NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (ticket_id, article_id),
    FOREIGN KEY (ticket_id) REFERENCES tickets(id) ON DELETE CASCADE,
    FOREIGN KEY (article_id) REFERENCES kb_articles(id) ON DELETE CASCADE,
    FOREIGN KEY (linked_by) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_ticket_kb_links_article ON ticket_kb_links(article_id);

-- @table change_requests
CREATE TABLE change_requests (
    id INTEGER PRIMARY KEY,
    change_number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT,
    change_type TEXT NOT NULL DEFAULT 'normal' CHECK (change_type IN ('standard', 'normal', 'emergency')),
    risk_level TEXT NOT NULL DEFAULT 'medium' CHECK (risk_level IN ('low', 'medium', 'high')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending_approval', 'approved', 'rejected', 'scheduled', 'implemented', 'cancelled')),
    requested_by INTEGER NOT NULL,
    assigned_team_id INTEGER,
    related_ticket_id INTEGER,
    planned_start TEXT,
    planned_end TEXT,
    implemented_at DATETIME,
    rollback_plan TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end > planned_start),
    FOREIGN KEY (requested_by) REFERENCES users(id) ON DELETE RESTRICT,
    FOREIGN KEY (assigned_team_id) REFERENCES teams(id) ON DELETE SET NULL,
    FOREIGN KEY (related_ticket_id) REFERENCES tickets(id) ON DELETE SET NULL
);
CREATE INDEX idx_change_requests_status ON change_requests(status);
CREATE INDEX idx_change_requests_ticket ON change_requests(related_ticket_id);

-- @table change_approvals
CREATE TABLE change_approvals (
    id INTEGER PRIMARY KEY,
    change_request_id INTEGER NOT NULL,
    approver_id INTEGER NOT NULL,
    decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'rejected')),
    comment TEXT,
    decided_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (change_request_id, approver_id),
    FOREIGN KEY (change_request_id) REFERENCES change_requests(id) ON DELETE CASCADE,
    FOREIGN KEY (approver_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_change_approvals_approver ON change_approvals(approver_id, decision);

-- @table escalations
CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    escalated_by INTEGER NOT NULL,
    from_team_id INTEGER,
    to_team_id INTEGER NOT NULL,
    to_user_id INTEGER,
    level INTEGER NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 3),
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (ticket_id) REFERENCES tickets(id) ON DELETE CASCADE,
    FOREIGN KEY (escalated_by) REFERENCES users(id) ON DELETE RESTRICT,
    FOREIGN KEY (from_team_id) REFERENCES teams(id) ON DELETE SET NULL,
    FOREIGN KEY (to_team_id) REFERENCES teams(id) ON DELETE RESTRICT,
    FOREIGN KEY (to_user_id) REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idx_escalations_ticket ON escalations(ticket_id);
CREATE INDEX idx_escalations_to_team_status ON escalations(to_team_id, status);
