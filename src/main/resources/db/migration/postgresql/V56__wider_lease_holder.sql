-- H2's V56 widens licence_seat.holder_sealed to 4096 bytes; here it is bytea, without a limit, since V41. The
-- checkout bounds what goes in (four values of at most 300 characters).
comment on column licence_seat.holder_sealed is 'the lease holder''s user, host, IP and MAC address, sealed with the tenant key';
