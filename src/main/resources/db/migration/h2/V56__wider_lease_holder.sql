-- A lease holder's four values (user, host, IP and MAC address, each at most 300 characters as the client gives
-- them, checked at checkout) are sealed together; at up to 3 bytes a character they can take 3,600 bytes, which
-- the 1,024 of V41 did not hold (a checkout with long non-ASCII names failed in the database).
alter table licence_seat alter column holder_sealed set data type varbinary(4096);
