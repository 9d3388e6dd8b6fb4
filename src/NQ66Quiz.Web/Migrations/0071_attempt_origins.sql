-- Anti-cheat signals (issue 14, item 3): where each attempt was started from, kept to what the flags need. Never the
-- full address: the network prefix only (IPv4 /24, IPv6 /48). Never the device cookie itself: the first 8 bytes of its
-- SHA-256 (so the table cannot be used to impersonate a device). Flags are computed from these rows when organizers
-- review a round (Features/AntiCheat/CheatFlags.cs); nothing is decided automatically.
CREATE TABLE attempt_origins (
    attempt_id bigint PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
    network    cidr,
    device     text CHECK (device ~ '^[0-9a-f]{16}$'),
    started_at timestamptz NOT NULL
);
CREATE INDEX attempt_origins_device ON attempt_origins (device, started_at) WHERE device IS NOT NULL;
CREATE INDEX attempt_origins_network ON attempt_origins (network, started_at) WHERE network IS NOT NULL;
