-- A unit registers the emulation title it aims for and, beside it, a form of commendation
-- (Bằng khen, Giấy khen; Law 06/2022 art. 72): issue 17, item 11.
ALTER TABLE registrations
    ADD COLUMN commendation_type_id bigint,
    ADD FOREIGN KEY (tenant_id, commendation_type_id) REFERENCES award_types (tenant_id, id);
