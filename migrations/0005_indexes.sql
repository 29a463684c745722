-- Indexes for the dashboard's time windows, reminders and "my cases", found by measuring at scale.
CREATE INDEX requests_sent ON requests(sent_at);
CREATE INDEX requests_status_due ON requests(status, due_at);
CREATE INDEX cases_lead ON cases(lead_user_id, status);
