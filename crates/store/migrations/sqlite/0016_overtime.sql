-- Overtime ordered by the Müdür (m.10/14; 4857 m.41, 657 m.178).
CREATE TABLE overtime_orders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    start_at    TEXT NOT NULL,
    end_at      TEXT NOT NULL,
    minutes     INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    ordered_by  INTEGER NOT NULL REFERENCES users(id),
    ordered_at  TEXT NOT NULL,
    basis       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX overtime_orders_user ON overtime_orders (user_id, start_at);
CREATE INDEX overtime_orders_start ON overtime_orders (start_at);
