-- 'event_outbox.write': no event of the type in test_faults.mobile can be
-- written (t/events/20_events.t: the change it tells of is not written
-- either), see t/sql/README.
CREATE TRIGGER test_fault_event_insert BEFORE INSERT ON event_outbox
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'event_outbox.write' AND mobile = NEW.type)
BEGIN SELECT RAISE(ABORT, 'test fault: event_outbox.write'); END;
