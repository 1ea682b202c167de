-- Benchmark data at scale, in the gateway's own schema (applied by seed.ts after the
-- migrations and the admin bootstrap). Deterministic, set-based, same shape as the anchors'
-- seed (../shared/bench/anchors/seed.sql), so the same intents compare side by side:
--   users           100,000   user_000001 .. user_100000, 1–3 emails each, 0–2 SSH keys
--   organizations     5,000   org-00001 .. org-05000 (orgs 501.. have a parent among 1..500)
--   memberships     200,000   40 per org (slot 0 is the owner)
--   groups           20,000   4 per org (Admins, Engineering, Sales, Support)
--   group_members   200,000   10 per group, members of the group's org (slot 0 is admin)
--   messages        200,000   2 per user, each with one recipient access
--   event_logs    1,000,000   every 5th event belongs to users 1..100 (heavy users such as user_000042)
--   login_logs      200,000
-- Ids are md5-derived uuids; timestamps are fixed offsets.
set synchronous_commit = off;

insert into users (id, username, display_name, state, created_at)
select md5('u' || i)::uuid, 'user_' || lpad(i::text, 6, '0'), 'User ' || i,
       (case when i % 50 = 0 then 'blocked' when i % 97 = 0 then 'disabled' else 'active' end)::user_state,
       timestamptz '2023-01-01 00:00:00+00' + i * interval '5 minutes'
from generate_series(1, 100000) as i;

-- Email k = 0 is the primary, validated one; users get (i % 3) more.
insert into contacts (id, user_id, type, label, value, validated_at, is_primary, state, created_at)
select md5('c' || i || '-' || k)::uuid, md5('u' || i)::uuid, 'email', case when k = 0 then 'main' else 'other ' || k end,
       case when k = 0 then 'user' || i || '@example.com' else 'user' || i || '+' || k || '@example.org' end,
       case when k = 0 then timestamptz '2023-01-02 00:00:00+00' end, k = 0, 'active',
       timestamptz '2023-01-01 00:00:00+00' + i * interval '5 minutes'
from generate_series(1, 100000) as i, generate_series(0, 2) as k
where k <= i % 3;

insert into public_keys (id, user_id, kind, label, key, fingerprint, created_at)
select md5('k' || i || '-' || k)::uuid, md5('u' || i)::uuid, 'ssh', 'key ' || k,
       'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' || md5('key' || i || '-' || k) || ' user' || i,
       'SHA256:' || md5('fp' || i || '-' || k), timestamptz '2023-02-01 00:00:00+00' + i * interval '1 minute'
from generate_series(1, 100000) as i, generate_series(1, 2) as k
where k <= i % 3;

insert into organizations (id, slug, name, parent_id, created_at)
select md5('o' || j)::uuid, 'org-' || lpad(j::text, 5, '0'), 'Organization ' || j,
       case when j > 500 then md5('o' || ((j % 500) + 1))::uuid end,
       timestamptz '2023-01-01 00:00:00+00' + j * interval '1 hour'
from generate_series(1, 5000) as j;

-- membership n: org j = (n-1)/40 + 1, slot k = (n-1) % 40, user (j*7919 + k*1009) % 100000 + 1.
-- Ids follow n so that "by id" is the anchors' "by primary key".
insert into memberships (id, organization_id, user_id, role, created_at)
select (lpad(to_hex(n), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(j), 12, '0'))::uuid, md5('o' || j)::uuid,
       md5('u' || ((j * 7919 + k * 1009) % 100000 + 1))::uuid,
       (case when k = 0 then 'owner' else 'member' end)::membership_role,
       timestamptz '2023-06-01 00:00:00+00' + n * interval '1 minute'
from (select n, (n - 1) / 40 + 1 as j, (n - 1) % 40 as k from generate_series(1, 200000) as n) s;

insert into groups (id, organization_id, name)
select md5('g' || n)::uuid, md5('o' || ((n - 1) / 4 + 1))::uuid, (array['Admins', 'Engineering', 'Sales', 'Support'])[(n - 1) % 4 + 1]
from generate_series(1, 20000) as n;

insert into group_members (id, group_id, user_id, is_admin)
select md5('gm' || n)::uuid, md5('g' || g)::uuid, md5('u' || ((j * 7919 + (p * 10 + k) * 1009) % 100000 + 1))::uuid, k = 0
from (select n, (n - 1) / 10 + 1 as g, ((n - 1) / 10) / 4 + 1 as j, ((n - 1) / 10) % 4 as p, (n - 1) % 10 as k
      from generate_series(1, 200000) as n) s;

insert into messages (id, owner_id, metadata, created_at)
select md5('msg' || n)::uuid, md5('u' || ((n - 1) % 100000 + 1))::uuid,
       jsonb_build_object('subject', 'Message ' || n, 'size', n % 5000, 'tags', jsonb_build_array('t' || (n % 7), 't' || (n % 11))),
       timestamptz '2024-01-01 00:00:00+00' + n * interval '2 minutes'
from generate_series(1, 200000) as n;

insert into message_accesses (id, message_id, user_id, added_by_id, created_at)
select md5('ma' || n)::uuid, md5('msg' || n)::uuid, md5('u' || ((n * 31) % 100000 + 1))::uuid, md5('u' || ((n - 1) % 100000 + 1))::uuid,
       timestamptz '2024-01-01 00:00:00+00' + n * interval '2 minutes'
from generate_series(1, 200000) as n
where (n * 31) % 100000 <> (n - 1) % 100000;

insert into event_logs (id, occurred_at, action, actor_user_id, message_id, ip, data)
select md5('e' || n)::uuid, timestamptz '2024-01-01 00:00:00+00' + n * interval '30 seconds',
       (array['login', 'logout', 'message.create', 'message.read', 'message.delete', 'password.change', 'org.join', 'group.join'])[a + 1],
       md5('u' || case when n % 5 = 0 then (n / 5) % 100 + 1 else (n::bigint * 7919) % 100000 + 1 end)::uuid,
       case when a between 2 and 4 then md5('msg' || ((n * 13) % 200000 + 1))::uuid end,
       host(inet '203.0.113.0' + (n % 256)), jsonb_build_object('ua', 'agent-' || (n % 13), 'seq', n)
from (select n, (n / 7) % 8 as a from generate_series(1, 1000000) as n) s;

insert into login_logs (id, user_id, success, ip, user_agent, created_at)
select md5('l' || n)::uuid, md5('u' || ((n * 17) % 100000 + 1))::uuid, n % 10 <> 0, host(inet '198.51.100.0' + (n % 256)), 'agent-' || (n % 13),
       timestamptz '2024-01-01 00:00:00+00' + n * interval '2 minutes'
from generate_series(1, 200000) as n;

vacuum analyze;
