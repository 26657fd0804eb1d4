-- 'event_outbox.write': no event of the type in test_faults.mobile can be
-- written (t/events/20_events.t: the change it tells of is not written
-- either), see t/sql/README.
CREATE FUNCTION test_fault_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'event_outbox.write'
               AND mobile = NEW.type) THEN
        RAISE EXCEPTION 'test fault: event_outbox.write';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_fault_event_insert BEFORE INSERT ON event_outbox
    FOR EACH ROW EXECUTE FUNCTION test_fault_event();
