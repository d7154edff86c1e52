-- @table users
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    phone TEXT,
    role TEXT NOT NULL CHECK (role IN ('front_desk', 'nurse', 'manager', 'admin')),
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_users_role ON users(role);

-- @table locations
CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    address_line TEXT NOT NULL,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    phone TEXT,
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'America/Chicago',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (closes_at > opens_at)
);
CREATE INDEX idx_locations_city ON locations(city);

-- @table rooms
CREATE TABLE rooms (
    id INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL,
    room_code TEXT NOT NULL,
    room_type TEXT NOT NULL CHECK (room_type IN ('exam', 'procedure', 'consult', 'telehealth')),
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (location_id) REFERENCES locations(id) ON DELETE CASCADE,
    UNIQUE (location_id, room_code)
);
CREATE INDEX idx_rooms_location ON rooms(location_id);

-- @table specialties
CREATE TABLE specialties (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- @table providers
CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    credentials TEXT NOT NULL,
    specialty_id INTEGER NOT NULL,
    primary_location_id INTEGER NOT NULL,
    npi TEXT NOT NULL UNIQUE CHECK (length(npi) = 10),
    email TEXT,
    phone TEXT,
    accepting_new_patients INTEGER NOT NULL DEFAULT 1 CHECK (accepting_new_patients IN (0, 1)),
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (specialty_id) REFERENCES specialties(id) ON DELETE RESTRICT,
    FOREIGN KEY (primary_location_id) REFERENCES locations(id) ON DELETE RESTRICT
);
CREATE INDEX idx_providers_specialty ON providers(specialty_id);
CREATE INDEX idx_providers_location ON providers(primary_location_id);

-- @table provider_schedules
CREATE TABLE provider_schedules (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    effective_to TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (provider_id) REFERENCES providers(id) ON DELETE CASCADE,
    FOREIGN KEY (location_id) REFERENCES locations(id) ON DELETE CASCADE,
    UNIQUE (provider_id, weekday, start_time, effective_from),
    CHECK (end_time > start_time),
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
CREATE INDEX idx_provider_schedules_provider ON provider_schedules(provider_id, weekday);

-- @table appointment_types
CREATE TABLE appointment_types (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    specialty_id INTEGER,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 240),
    requires_referral INTEGER NOT NULL DEFAULT 0 CHECK (requires_referral IN (0, 1)),
    telehealth_eligible INTEGER NOT NULL DEFAULT 0 CHECK (telehealth_eligible IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (specialty_id) REFERENCES specialties(id) ON DELETE SET NULL
);
CREATE INDEX idx_appointment_types_specialty ON appointment_types(specialty_id);

-- @table insurance_plans
CREATE TABLE insurance_plans (
    id INTEGER PRIMARY KEY,
    payer_name TEXT NOT NULL,
    plan_name TEXT NOT NULL,
    plan_type TEXT NOT NULL CHECK (plan_type IN ('HMO', 'PPO', 'EPO', 'Medicare', 'Medicaid', 'self_pay')),
    requires_referral INTEGER NOT NULL DEFAULT 0 CHECK (requires_referral IN (0, 1)),
    payer_phone TEXT,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (payer_name, plan_name)
);
CREATE INDEX idx_insurance_plans_type ON insurance_plans(plan_type);

-- @table patients
CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    mrn TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('F', 'M', 'X')),
    phone TEXT,
    email TEXT,
    preferred_contact_method TEXT NOT NULL DEFAULT 'sms' CHECK (preferred_contact_method IN ('sms', 'email', 'phone')),
    preferred_location_id INTEGER,
    primary_provider_id INTEGER,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'deceased')),
    registered_by_user_id INTEGER NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (preferred_location_id) REFERENCES locations(id) ON DELETE SET NULL,
    FOREIGN KEY (primary_provider_id) REFERENCES providers(id) ON DELETE SET NULL,
    FOREIGN KEY (registered_by_user_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_patients_name ON patients(last_name, first_name);
CREATE INDEX idx_patients_dob ON patients(date_of_birth);

-- @table patient_coverages
CREATE TABLE patient_coverages (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL,
    plan_id INTEGER NOT NULL,
    member_id TEXT NOT NULL,
    group_number TEXT,
    priority TEXT NOT NULL CHECK (priority IN ('primary', 'secondary')),
    effective_date TEXT NOT NULL,
    termination_date TEXT,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    verified_by_user_id INTEGER,
    verified_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (patient_id) REFERENCES patients(id) ON DELETE CASCADE,
    FOREIGN KEY (plan_id) REFERENCES insurance_plans(id) ON DELETE RESTRICT,
    FOREIGN KEY (verified_by_user_id) REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (patient_id, plan_id, member_id),
    CHECK (termination_date IS NULL OR termination_date >= effective_date)
);
CREATE INDEX idx_patient_coverages_patient ON patient_coverages(patient_id, priority);

-- @table availability_slots
CREATE TABLE availability_slots (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    room_id INTEGER,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'booked', 'blocked')),
    block_reason TEXT,
    created_by_user_id INTEGER NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (provider_id) REFERENCES providers(id) ON DELETE CASCADE,
    FOREIGN KEY (location_id) REFERENCES locations(id) ON DELETE CASCADE,
    FOREIGN KEY (room_id) REFERENCES rooms(id) ON DELETE SET NULL,
    FOREIGN KEY (created_by_user_id) REFERENCES users(id) ON DELETE RESTRICT,
    UNIQUE (provider_id, start_time),
    CHECK (end_time > start_time)
);
CREATE INDEX idx_availability_slots_provider_start ON availability_slots(provider_id, start_time);
CREATE INDEX idx_availability_slots_status ON availability_slots(status);

-- @table referrals
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL,
    referring_provider_id INTEGER NOT NULL,
    receiving_provider_id INTEGER,
    specialty_id INTEGER NOT NULL,
    urgency TEXT NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine', 'urgent', 'stat')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'scheduled')),
    reason TEXT NOT NULL,
    decline_reason TEXT,
    received_at DATETIME NOT NULL,
    responded_at DATETIME,
    handled_by_user_id INTEGER,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (patient_id) REFERENCES patients(id) ON DELETE CASCADE,
    FOREIGN KEY (referring_provider_id) REFERENCES providers(id) ON DELETE RESTRICT,
    FOREIGN KEY (receiving_provider_id) REFERENCES providers(id) ON DELETE SET NULL,
    FOREIGN KEY (specialty_id) REFERENCES specialties(id) ON DELETE RESTRICT,
    FOREIGN KEY (handled_by_user_id) REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idx_referrals_patient ON referrals(patient_id);
CREATE INDEX idx_referrals_status_urgency ON referrals(status, urgency);

-- @table appointments
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL,
    provider_id INTEGER NOT NULL,
    appointment_type_id INTEGER NOT NULL,
    slot_id INTEGER,
    location_id INTEGER NOT NULL,
    room_id INTEGER,
    referral_id INTEGER,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked_in', 'completed', 'cancelled', 'no_show')),
    reason TEXT,
    cancel_reason TEXT,
    checked_in_at DATETIME,
    booked_by_user_id INTEGER NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (patient_id) REFERENCES patients(id) ON DELETE CASCADE,
    FOREIGN KEY (provider_id) REFERENCES providers(id) ON DELETE RESTRICT,
    FOREIGN KEY (appointment_type_id) REFERENCES appointment_types(id) ON DELETE RESTRICT,
    FOREIGN KEY (slot_id) REFERENCES availability_slots(id) ON DELETE SET NULL,
    FOREIGN KEY (location_id) REFERENCES locations(id) ON DELETE RESTRICT,
    FOREIGN KEY (room_id) REFERENCES rooms(id) ON DELETE SET NULL,
    FOREIGN KEY (referral_id) REFERENCES referrals(id) ON DELETE SET NULL,
    FOREIGN KEY (booked_by_user_id) REFERENCES users(id) ON DELETE RESTRICT,
    CHECK (end_time > start_time)
);
CREATE INDEX idx_appointments_patient ON appointments(patient_id);
CREATE INDEX idx_appointments_provider_start ON appointments(provider_id, start_time);
CREATE INDEX idx_appointments_status ON appointments(status);
CREATE INDEX idx_appointments_slot ON appointments(slot_id);

-- @table waitlist_entries
CREATE TABLE waitlist_entries (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL,
    provider_id INTEGER,
    appointment_type_id INTEGER NOT NULL,
    preferred_start_date TEXT NOT NULL,
    preferred_end_date TEXT NOT NULL,
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'booked', 'removed')),
    notes TEXT,
    added_by_user_id INTEGER NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (patient_id) REFERENCES patients(id) ON DELETE CASCADE,
    FOREIGN KEY (provider_id) REFERENCES providers(id) ON DELETE SET NULL,
    FOREIGN KEY (appointment_type_id) REFERENCES appointment_types(id) ON DELETE RESTRICT,
    FOREIGN KEY (added_by_user_id) REFERENCES users(id) ON DELETE RESTRICT,
    CHECK (preferred_end_date >= preferred_start_date)
);
CREATE INDEX idx_waitlist_entries_status ON waitlist_entries(status, priority);
CREATE INDEX idx_waitlist_entries_patient ON waitlist_entries(patient_id);

-- @table reminders
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'phone')),
    scheduled_for DATETIME NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'failed', 'cancelled')),
    message TEXT NOT NULL,
    sent_at DATETIME,
    created_by_user_id INTEGER NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (appointment_id) REFERENCES appointments(id) ON DELETE CASCADE,
    FOREIGN KEY (created_by_user_id) REFERENCES users(id) ON DELETE RESTRICT
);
CREATE INDEX idx_reminders_appointment ON reminders(appointment_id);
CREATE INDEX idx_reminders_status_scheduled ON reminders(status, scheduled_for);

-- @table visit_notes
CREATE TABLE visit_notes (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL UNIQUE,
    provider_id INTEGER NOT NULL,
    summary TEXT NOT NULL,
    diagnosis_codes TEXT,
    follow_up_weeks INTEGER CHECK (follow_up_weeks IS NULL OR follow_up_weeks BETWEEN 0 AND 52),
    signed_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (appointment_id) REFERENCES appointments(id) ON DELETE CASCADE,
    FOREIGN KEY (provider_id) REFERENCES providers(id) ON DELETE RESTRICT
);
CREATE INDEX idx_visit_notes_provider ON visit_notes(provider_id);
