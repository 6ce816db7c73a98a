-- DNS publishing. Instead of queueing individual record changes (which every writer would have to
-- compute, and which a rename or a cascade delete easily gets wrong), every statement that changes
-- something DNS publishes leaves a marker row in the same transaction and wakes the publisher with
-- NOTIFY. The publisher recomputes the records from the database and sends BIND the difference as
-- RFC 2136 updates, then deletes the markers it has handled. A marker can never be lost with its
-- transaction committed, and a rolled-back change leaves none.

DROP TABLE dns_update;

CREATE TABLE dns_change (
    id      bigserial PRIMARY KEY,
    source  text NOT NULL,
    created timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION dns_change_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dns_change (source) VALUES (TG_TABLE_NAME);
    PERFORM pg_notify('dns_change', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

-- Statement-level: a bulk statement (lease processing changes hundreds of rows at once) leaves one
-- marker. UPDATE triggers list only the columns that change names or addresses, so frequent writes
-- such as power_state or status never wake the publisher.
CREATE TRIGGER domain_dns AFTER INSERT OR DELETE OR UPDATE OF name, authoritative, ttl, forward_dns_servers ON domain
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER node_dns AFTER INSERT OR DELETE OR UPDATE OF hostname, domain_id, address_ttl ON node
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER interface_dns AFTER INSERT OR DELETE OR UPDATE OF name, node_id, type ON interface
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER interface_relationship_dns AFTER INSERT OR DELETE OR UPDATE ON interface_relationship
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER interface_ip_dns AFTER INSERT OR DELETE OR UPDATE ON interface_ip
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER staticipaddress_dns AFTER INSERT OR DELETE OR UPDATE OF ip, subnet_id ON staticipaddress
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER subnet_dns AFTER INSERT OR DELETE OR UPDATE OF cidr, rdns_mode ON subnet
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER dnsresource_dns AFTER INSERT OR DELETE OR UPDATE ON dnsresource
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER dnsresource_ip_dns AFTER INSERT OR DELETE OR UPDATE ON dnsresource_ip
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER dnsdata_dns AFTER INSERT OR DELETE OR UPDATE ON dnsdata
    FOR EACH STATEMENT EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER config_dns AFTER INSERT OR UPDATE ON config
    FOR EACH ROW WHEN (NEW.name IN ('default_dns_ttl', 'upstream_dns', 'dnssec_validation', 'dns_trusted_acl'))
    EXECUTE FUNCTION dns_change_mark();
CREATE TRIGGER config_dns_delete AFTER DELETE ON config
    FOR EACH ROW WHEN (OLD.name IN ('default_dns_ttl', 'upstream_dns', 'dnssec_validation', 'dns_trusted_acl'))
    EXECUTE FUNCTION dns_change_mark();

-- The BIND servers the publisher keeps in step: each region registers the named it runs (or the
-- system named it drives) and refreshes last_seen; servers not seen for a while are skipped.
CREATE TABLE dns_server (
    endpoint  text PRIMARY KEY,
    region    text NOT NULL,
    last_seen timestamptz NOT NULL DEFAULT now()
);
