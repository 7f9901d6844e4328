--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: _fluent_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._fluent_migrations (
    id uuid NOT NULL,
    name text NOT NULL,
    batch bigint NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);


--
-- Name: account_roles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.account_roles (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    role text NOT NULL,
    person_id uuid NOT NULL
);


--
-- Name: attachments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.attachments (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    filename text NOT NULL,
    content_type text NOT NULL,
    size bigint NOT NULL,
    sha256 text NOT NULL,
    uploaded_by uuid,
    uploaded_at timestamp with time zone NOT NULL
);


--
-- Name: case_counters; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_counters (
    prefix text NOT NULL,
    last bigint NOT NULL
);


--
-- Name: case_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_events (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    sequence bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_id uuid,
    kind text NOT NULL,
    value text,
    body text
);


--
-- Name: case_watchers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_watchers (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    person_id uuid,
    email text NOT NULL,
    kind text NOT NULL,
    added_by uuid,
    added_at timestamp with time zone NOT NULL
);


--
-- Name: cases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.cases (
    id uuid NOT NULL,
    number text NOT NULL COLLATE pg_catalog."C",
    organization_id uuid NOT NULL,
    requester_id uuid NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    priority text,
    channel text NOT NULL,
    status text NOT NULL,
    policy_id text NOT NULL,
    policy_version text NOT NULL,
    plan_id text NOT NULL,
    region_id text NOT NULL,
    logged_at timestamp with time zone NOT NULL,
    product text,
    product_version text,
    service_pack text,
    steps_to_reproduce text,
    english_consent boolean,
    nda boolean NOT NULL,
    cvss double precision,
    contact_name text,
    contact_phone text,
    contact_email text,
    apps text,
    unsupported_version boolean NOT NULL,
    out_of_scope text,
    next_due timestamp with time zone,
    breached boolean NOT NULL,
    version bigint NOT NULL,
    team_id text,
    tier bigint,
    queue_rank bigint,
    plan_rank bigint,
    priority_rank bigint,
    language text,
    mailbox text,
    queue_due timestamp with time zone,
    assignee_id uuid,
    assigned_at timestamp with time zone,
    advocate_id uuid
);


--
-- Name: clock_alarms; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clock_alarms (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    metric text NOT NULL,
    kind text NOT NULL,
    at timestamp with time zone NOT NULL
);


--
-- Name: clocks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clocks (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    metric text NOT NULL,
    target text,
    due timestamp with time zone,
    state text NOT NULL
);


--
-- Name: deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deliveries (
    id uuid NOT NULL,
    outbox_id uuid NOT NULL,
    channel text NOT NULL,
    target text NOT NULL,
    state text NOT NULL,
    attempts bigint NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    leased_until timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    last_error text,
    hold_team text
);


--
-- Name: delivery_attempts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.delivery_attempts (
    id uuid NOT NULL,
    delivery_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    outcome text NOT NULL,
    detail text NOT NULL
);


--
-- Name: organization_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization_events (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_id uuid,
    kind text NOT NULL,
    value text,
    effective text,
    detail text NOT NULL
);


--
-- Name: organizations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organizations (
    id uuid NOT NULL,
    name text NOT NULL,
    policy_id text NOT NULL,
    plan_id text NOT NULL,
    region_id text NOT NULL,
    term_start text NOT NULL,
    term_end text NOT NULL,
    automatic_renewal boolean NOT NULL,
    non_renewal_notice text,
    case_prefix text NOT NULL,
    created_at timestamp with time zone
);


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    id uuid NOT NULL,
    kind text NOT NULL,
    case_id uuid,
    payload text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    dispatched_at timestamp with time zone,
    metric text,
    alarm text
);


--
-- Name: people; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.people (
    id uuid NOT NULL,
    organization_id uuid,
    name text NOT NULL,
    email text NOT NULL,
    role text NOT NULL,
    tier bigint,
    billable_overage boolean NOT NULL,
    erased_at timestamp with time zone,
    created_at timestamp with time zone
);


--
-- Name: policies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.policies (
    id uuid NOT NULL,
    policy_id text NOT NULL,
    version text NOT NULL,
    yaml text NOT NULL,
    uploaded_by uuid,
    uploaded_at timestamp with time zone NOT NULL,
    published_at timestamp with time zone,
    current boolean NOT NULL
);


--
-- Name: priority_senders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.priority_senders (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    entry text NOT NULL
);


--
-- Name: team_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team_members (
    id uuid NOT NULL,
    policy_id text NOT NULL,
    team_id text NOT NULL,
    person_id uuid NOT NULL,
    lead boolean NOT NULL,
    languages text NOT NULL,
    added_at timestamp with time zone NOT NULL
);


--
-- Name: templates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.templates (
    name text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    updated_by uuid,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tokens (
    id uuid NOT NULL,
    person_id uuid NOT NULL,
    secret_hash text NOT NULL,
    label text NOT NULL,
    created_at timestamp with time zone
);


--
-- Name: webhooks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhooks (
    id uuid NOT NULL,
    url text NOT NULL,
    secret text NOT NULL,
    events text NOT NULL,
    active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Data for Name: _fluent_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._fluent_migrations VALUES ('3c0f5881-6686-43a6-b42f-04d5967d4201', 'AccordStore.CreateSchema', 1, '2026-12-06 02:32:09.56879+00', '2026-12-06 02:32:09.56879+00');
INSERT INTO public._fluent_migrations VALUES ('e809a14e-daf9-4e95-ba26-adf7bd5df7cb', 'AccordStore.CreateMonitorSchema', 1, '2026-12-06 02:32:09.589238+00', '2026-12-06 02:32:09.589238+00');
INSERT INTO public._fluent_migrations VALUES ('973809ef-0249-4b71-a9f0-e7e9c1cdf7e4', 'AccordStore.CreateWorkSchema', 1, '2026-12-06 02:32:09.609604+00', '2026-12-06 02:32:09.609604+00');
INSERT INTO public._fluent_migrations VALUES ('76d69e71-2506-443e-9d5f-1f27fc8acde2', 'AccordStore.DropIndexesCoveredByUniqueKeys', 1, '2026-12-06 02:32:09.612585+00', '2026-12-06 02:32:09.612585+00');
INSERT INTO public._fluent_migrations VALUES ('29786534-45de-45bd-8ebd-c64ecd21677b', 'AccordStore.DropOutboxCaseReference', 1, '2026-12-06 02:32:09.614499+00', '2026-12-06 02:32:09.614499+00');
INSERT INTO public._fluent_migrations VALUES ('295f57ad-5c7c-49c2-b420-97e086afbde3', 'AccordStore.RecordRaisedAlarmsInTheOutbox', 1, '2026-12-06 02:32:09.622915+00', '2026-12-06 02:32:09.622915+00');


--
-- Data for Name: account_roles; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.account_roles VALUES ('d6cf22e1-6bd5-437f-84d8-d11f8b0df74a', '0635a5d2-38b3-490b-a02c-d490c00d634f', 'tam', '674efcab-2ed2-4302-9334-61bcbdce15d8');
INSERT INTO public.account_roles VALUES ('8ffbcd66-273c-40b2-97ef-aa0bf84a3289', 'c073b312-6a08-4961-8624-7f8c6d2286b5', 'primary-contact', '76bdbc15-f499-4d28-b1dd-0f4be0673e28');


--
-- Data for Name: attachments; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: case_counters; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.case_counters VALUES ('ACME-2026-', 6);
INSERT INTO public.case_counters VALUES ('NWN-2026-', 2);
INSERT INTO public.case_counters VALUES ('PLM-2026-', 3);
INSERT INTO public.case_counters VALUES ('PRA-2026-', 1);


--
-- Data for Name: case_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.case_events VALUES ('01a24931-cb58-7de5-a0d8-8636abdcafad', '01a24931-cb58-7c7d-9d68-f8ea7d946410', 1, '2026-12-05 23:32:09.715473+00', '1a1ab971-585b-42d5-8b24-8a9ab9233bdc', 'logged', 'p1', 'No work orders since 06:00');
INSERT INTO public.case_events VALUES ('01a24931-cb58-7df6-be11-36853bfb724a', '01a24931-cb58-7c7d-9d68-f8ea7d946410', 2, '2026-12-05 23:32:09.715473+00', NULL, 'routed', 'p1-desk', 'routing rule 1 (priority p1) names p1-desk; P1 critical response takes it');
INSERT INTO public.case_events VALUES ('01a24931-cb66-76bd-9acc-c7ae1900ff62', '01a24931-cb58-7c7d-9d68-f8ea7d946410', 3, '2026-12-06 00:02:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'public-reply', NULL, 'We are on it; bridge call opened.');
INSERT INTO public.case_events VALUES ('01a24931-cb67-77a2-9ef0-d19a0398541b', '01a24931-cb58-7c7d-9d68-f8ea7d946410', 4, '2026-12-06 00:02:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'open', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cb70-76e8-92de-a50ce9b24b7b', '01a24931-cb70-768d-8093-fdd25f0cd944', 1, '2026-12-04 20:32:09.715473+00', '152951bf-e2a7-4482-b002-614b26f332fc', 'logged', 'p2', 'Labels take 30 s each');
INSERT INTO public.case_events VALUES ('01a24931-cb70-76f9-9b6e-4b73e78e15ef', '01a24931-cb70-768d-8093-fdd25f0cd944', 2, '2026-12-04 20:32:09.715473+00', NULL, 'routed', 'americas', 'no routing rule matches; the default teams are americas, europe, asia; follow-the-sun: Americas desk speaks en and is open now');
INSERT INTO public.case_events VALUES ('01a24931-cb76-774c-937a-5fcddad25435', '01a24931-cb76-76e8-9d42-71c4ba1ea394', 1, '2026-12-05 20:32:09.715473+00', '1a1ab971-585b-42d5-8b24-8a9ab9233bdc', 'logged', 'p1', 'Handhelds cannot post');
INSERT INTO public.case_events VALUES ('01a24931-cb76-775e-9d70-42e621354ac0', '01a24931-cb76-76e8-9d42-71c4ba1ea394', 2, '2026-12-05 20:32:09.715473+00', NULL, 'routed', 'p1-desk', 'routing rule 1 (priority p1) names p1-desk; P1 critical response takes it');
INSERT INTO public.case_events VALUES ('01a24931-cb7f-7117-8dbd-d794d0cabbf9', '01a24931-cb76-76e8-9d42-71c4ba1ea394', 3, '2026-12-05 22:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'public-reply', NULL, 'Sorry for the wait — restarting the gateway.');
INSERT INTO public.case_events VALUES ('01a24931-cb80-70f4-9605-ef922f073911', '01a24931-cb76-76e8-9d42-71c4ba1ea394', 4, '2026-12-05 22:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'open', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cb87-79f0-adab-e3f8a3e83c49', '01a24931-cb87-799c-8ddd-e5e1501b11d1', 1, '2026-12-05 16:32:09.715473+00', '152951bf-e2a7-4482-b002-614b26f332fc', 'logged', 'p2', 'Item import fails validation');
INSERT INTO public.case_events VALUES ('01a24931-cb87-7a02-8409-27c8d25a3bbe', '01a24931-cb87-799c-8ddd-e5e1501b11d1', 2, '2026-12-05 16:32:09.715473+00', NULL, 'routed', 'asia', 'no routing rule matches; the default teams are americas, europe, asia; follow-the-sun: no candidate is open now; Asia desk opens first, at 2026-12-07T01:00:00Z');
INSERT INTO public.case_events VALUES ('01a24931-cb9c-7b7f-8430-b90d6765d1f5', '01a24931-cb87-799c-8ddd-e5e1501b11d1', 3, '2026-12-05 17:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'awaiting-customer', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cba3-7d7a-866d-b191cd382dfe', '01a24931-cba3-7d30-bc3b-223fa4f77d0a', 1, '2026-12-05 06:32:09.715473+00', '152951bf-e2a7-4482-b002-614b26f332fc', 'logged', 'p3', 'Weekly scrap report');
INSERT INTO public.case_events VALUES ('01a24931-cba3-7d8c-8676-c985ceb0d514', '01a24931-cba3-7d30-bc3b-223fa4f77d0a', 2, '2026-12-05 06:32:09.715473+00', NULL, 'routed', 'asia', 'no routing rule matches; the default teams are americas, europe, asia; follow-the-sun: no candidate is open now; Asia desk opens first, at 2026-12-07T01:00:00Z');
INSERT INTO public.case_events VALUES ('01a24931-cbac-7485-9dd3-4896331b192c', '01a24931-cba3-7d30-bc3b-223fa4f77d0a', 3, '2026-12-05 07:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'public-reply', NULL, 'Which plant and week?');
INSERT INTO public.case_events VALUES ('01a24931-cbad-72c9-8268-930d7465c717', '01a24931-cba3-7d30-bc3b-223fa4f77d0a', 4, '2026-12-05 07:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'open', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cbb7-7d2d-93c4-04b297d54435', '01a24931-cba3-7d30-bc3b-223fa4f77d0a', 5, '2026-12-05 07:38:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'awaiting-customer', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cbbf-7e1f-84d6-0cf077243e5b', '01a24931-cbbf-7dd5-911e-ee4cac9ec72e', 1, '2026-12-03 02:32:09.715473+00', '152951bf-e2a7-4482-b002-614b26f332fc', 'logged', 'p4', 'Question about calendars');
INSERT INTO public.case_events VALUES ('01a24931-cbbf-7e2f-a96d-a92abc0fd67a', '01a24931-cbbf-7dd5-911e-ee4cac9ec72e', 2, '2026-12-03 02:32:09.715473+00', NULL, 'routed', 'asia', 'no routing rule matches; the default teams are americas, europe, asia; follow-the-sun: Asia desk speaks en and is open now');
INSERT INTO public.case_events VALUES ('01a24931-cbc9-7492-baff-2859dca90d34', '01a24931-cbbf-7dd5-911e-ee4cac9ec72e', 3, '2026-12-03 04:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'public-reply', NULL, 'Settings → Shifts → Add.');
INSERT INTO public.case_events VALUES ('01a24931-cbca-738f-a928-712f87f18488', '01a24931-cbbf-7dd5-911e-ee4cac9ec72e', 4, '2026-12-03 04:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'open', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cbd4-7ab4-8b2c-85ca6e8bbd06', '01a24931-cbbf-7dd5-911e-ee4cac9ec72e', 5, '2026-12-03 05:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'resolved:workaround', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cbdf-76f8-8b46-bf834924c2f3', '01a24931-cbbf-7dd5-911e-ee4cac9ec72e', 6, '2026-12-06 01:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'closed', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cbef-7544-be38-8c90c9b17aff', '01a24931-cbef-74ec-a0a7-a766275012f3', 1, '2026-12-04 00:32:09.715473+00', 'cd87fe39-ef84-4dc2-aa41-c23dc978c9bf', 'logged', 'severity-2', 'Flows lost above 40k fps');
INSERT INTO public.case_events VALUES ('01a24931-cbef-7555-aa41-3ce56be8e162', '01a24931-cbef-74ec-a0a7-a766275012f3', 2, '2026-12-04 00:32:09.715473+00', NULL, 'routed', 'support', 'no routing rule matches; the default teams are support; Support desk takes it');
INSERT INTO public.case_events VALUES ('01a24931-cbf7-7af8-8968-5ff77ce57cc7', '01a24931-cbef-74ec-a0a7-a766275012f3', 3, '2026-12-04 01:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'public-reply', NULL, 'Reproduced in the lab.');
INSERT INTO public.case_events VALUES ('01a24931-cbf8-7929-9b19-00d92182f26f', '01a24931-cbef-74ec-a0a7-a766275012f3', 4, '2026-12-04 01:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'open', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cc02-7e91-8155-75fdd14f1f95', '01a24931-cbef-74ec-a0a7-a766275012f3', 5, '2026-12-04 10:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'defect-confirmed', NULL, NULL);
INSERT INTO public.case_events VALUES ('01a24931-cc0b-76c7-ae80-9d21bd30a301', '01a24931-cc0b-7673-a47f-c154745e8315', 1, '2026-12-05 21:32:09.715473+00', 'cd87fe39-ef84-4dc2-aa41-c23dc978c9bf', 'logged', 'severity-1', 'Scanner reports CVE in bundled OpenSSL');
INSERT INTO public.case_events VALUES ('01a24931-cc0b-76d7-8fdd-7eca21db9a70', '01a24931-cc0b-7673-a47f-c154745e8315', 2, '2026-12-05 21:32:09.715473+00', NULL, 'routed', 'support', 'no routing rule matches; the default teams are support; Support desk takes it');
INSERT INTO public.case_events VALUES ('01a24931-cc1b-7d64-92b3-a8e98b9f7cd6', '01a24931-cc1b-7d0b-8810-0842cf6c9fd7', 1, '2026-12-05 22:32:09.715473+00', 'a17a6e6f-72b5-4c89-977c-e3939ee95bea', 'logged', 'critical', 'Crash on save — details in the steps');
INSERT INTO public.case_events VALUES ('01a24931-cc1b-7d76-be75-eea876a250ac', '01a24931-cc1b-7d0b-8810-0842cf6c9fd7', 2, '2026-12-05 22:32:09.715473+00', NULL, 'routed', 'norway', 'routing rule 1 (region norway or iceland) names norway; Support Norway takes it');
INSERT INTO public.case_events VALUES ('01a24931-cc24-775d-8d91-2369b6f5f959', '01a24931-cc1b-7d0b-8810-0842cf6c9fd7', 3, '2026-12-05 23:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'public-reply', NULL, 'Please send the journal file.');
INSERT INTO public.case_events VALUES ('01a24931-cc25-7617-ab0a-991080a4cee9', '01a24931-cc1b-7d0b-8810-0842cf6c9fd7', 4, '2026-12-05 23:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'status-change', 'open', NULL);
INSERT INTO public.case_events VALUES ('01a24931-cc2c-7fa1-998b-6bcb282b86c5', '01a24931-cc2c-7f3f-8643-b4cd04e73a21', 1, '2026-12-05 00:32:09.715473+00', 'a17a6e6f-72b5-4c89-977c-e3939ee95bea', 'logged', 'medium', 'Old drawings open slowly — details in the steps');
INSERT INTO public.case_events VALUES ('01a24931-cc2c-7fb5-9d9f-4411cc7af20a', '01a24931-cc2c-7f3f-8643-b4cd04e73a21', 2, '2026-12-05 00:32:09.715473+00', NULL, 'routed', 'norway', 'routing rule 1 (region norway or iceland) names norway; Support Norway takes it');
INSERT INTO public.case_events VALUES ('01a24931-cc33-7345-a089-97d740e77625', '01a24931-cc33-72eb-9b2f-0366053d859b', 1, '2026-12-05 18:32:09.715473+00', 'a17a6e6f-72b5-4c89-977c-e3939ee95bea', 'logged', 'low', 'Set up our PDM vault — details in the steps');
INSERT INTO public.case_events VALUES ('01a24931-cc33-7357-b579-0d8d61e2bc16', '01a24931-cc33-72eb-9b2f-0366053d859b', 2, '2026-12-05 18:32:09.715473+00', NULL, 'routed', 'norway', 'routing rule 1 (region norway or iceland) names norway; Support Norway takes it');
INSERT INTO public.case_events VALUES ('01a24931-cc3b-7be0-a06e-593322ba591c', '01a24931-cc33-72eb-9b2f-0366053d859b', 3, '2026-12-05 19:32:09.715473+00', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'out-of-scope', 'consultancy', 'PDM setup is consultancy');
INSERT INTO public.case_events VALUES ('01a24931-cc52-7484-8029-ba1fca129dd1', '01a24931-cc52-7426-af97-73ce3c999c12', 1, '2026-12-05 20:32:09.715473+00', '76bdbc15-f499-4d28-b1dd-0f4be0673e28', 'logged', NULL, 'CSV export stops at 1,000 rows');
INSERT INTO public.case_events VALUES ('01a24931-cc52-7498-9fe8-4b41a9d00cac', '01a24931-cc52-7426-af97-73ce3c999c12', 2, '2026-12-05 20:32:09.715473+00', NULL, 'routed', 'tier-1', 'no routing rule matches; the default teams are tier-1; Tier 1 takes it; priority queue: paul@prairie.demo matches prairie.demo on Prairie Foods''s priority-sender list');


--
-- Data for Name: case_watchers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.case_watchers VALUES ('01a24931-cbbf-7e70-b89d-6fed2596b427', '01a24931-cbbf-7dd5-911e-ee4cac9ec72e', '1a1ab971-585b-42d5-8b24-8a9ab9233bdc', 'bob@acme.demo', 'cc', '152951bf-e2a7-4482-b002-614b26f332fc', '2026-12-03 02:32:09.715473+00');


--
-- Data for Name: cases; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.cases VALUES ('01a24931-cb58-7c7d-9d68-f8ea7d946410', 'ACME-2026-000001', '0635a5d2-38b3-490b-a02c-d490c00d634f', '1a1ab971-585b-42d5-8b24-8a9ab9233bdc', 'Production line MES down', 'No work orders since 06:00', 'p1', 'phone', 'open', 'plex', '2025.1', 'gold', 'global', '2026-12-05 23:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, false, 2, 'p1-desk', 1, 1, 1, 0, 'en', NULL, '9999-12-31 23:59:59+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cb70-768d-8093-fdd25f0cd944', 'ACME-2026-000002', '0635a5d2-38b3-490b-a02c-d490c00d634f', '152951bf-e2a7-4482-b002-614b26f332fc', 'Label printing slow', 'Labels take 30 s each', 'p2', 'web', 'new', 'plex', '2025.1', 'gold', 'global', '2026-12-04 20:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, false, NULL, '2026-12-07 08:32:09+00', false, 1, 'americas', 1, 1, 1, 1, 'en', NULL, '2026-12-07 08:32:09+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cb76-76e8-9d42-71c4ba1ea394', 'ACME-2026-000003', '0635a5d2-38b3-490b-a02c-d490c00d634f', '1a1ab971-585b-42d5-8b24-8a9ab9233bdc', 'Scanner gateway offline', 'Handhelds cannot post', 'p1', 'web', 'open', 'plex', '2025.1', 'gold', 'global', '2026-12-05 20:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, true, 2, 'p1-desk', 1, 1, 1, 0, 'en', NULL, '9999-12-31 23:59:59+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cb87-799c-8ddd-e5e1501b11d1', 'ACME-2026-000004', '0635a5d2-38b3-490b-a02c-d490c00d634f', '152951bf-e2a7-4482-b002-614b26f332fc', 'Import template rejected', 'Item import fails validation', 'p2', 'web', 'awaiting-customer', 'plex', '2025.1', 'gold', 'global', '2026-12-05 16:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, false, 2, 'asia', 1, 1, 1, 1, 'en', NULL, '9999-12-31 23:59:59+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cba3-7d30-bc3b-223fa4f77d0a', 'ACME-2026-000005', '0635a5d2-38b3-490b-a02c-d490c00d634f', '152951bf-e2a7-4482-b002-614b26f332fc', 'Report totals differ', 'Weekly scrap report', 'p3', 'web', 'awaiting-customer', 'plex', '2025.1', 'gold', 'global', '2026-12-05 06:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, false, 3, 'asia', 1, 1, 1, 2, 'en', NULL, '9999-12-31 23:59:59+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cbbf-7dd5-911e-ee4cac9ec72e', 'ACME-2026-000006', '0635a5d2-38b3-490b-a02c-d490c00d634f', '152951bf-e2a7-4482-b002-614b26f332fc', 'How to add a shift', 'Question about calendars', 'p4', 'web', 'closed', 'plex', '2025.1', 'gold', 'global', '2026-12-03 02:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, false, 4, 'asia', 1, 1, 1, 3, 'en', NULL, '9999-12-31 23:59:59+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cbef-74ec-a0a7-a766275012f3', 'NWN-2026-000001', '0b06995f-eaab-4ab8-8f0d-9515fb4fde5d', 'cd87fe39-ef84-4dc2-aa41-c23dc978c9bf', 'Collector drops flows', 'Flows lost above 40k fps', 'severity-2', 'web', 'open', 'plixer', '2025.1', 'standard', 'us-east', '2026-12-04 00:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, false, NULL, '2026-12-14 10:32:09+00', false, 3, 'support', 1, 1, 2, 1, 'en', NULL, '2026-12-14 10:32:09+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cc0b-7673-a47f-c154745e8315', 'NWN-2026-000002', '0b06995f-eaab-4ab8-8f0d-9515fb4fde5d', 'cd87fe39-ef84-4dc2-aa41-c23dc978c9bf', 'OpenSSL advisory', 'Scanner reports CVE in bundled OpenSSL', 'severity-1', 'email', 'new', 'plixer', '2025.1', 'standard', 'us-east', '2026-12-05 21:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, 9.1, NULL, NULL, NULL, NULL, false, NULL, '2026-12-08 13:00:00+00', false, 1, 'support', 1, 1, 2, 0, 'en', NULL, '2026-12-08 13:00:00+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cc1b-7d0b-8810-0842cf6c9fd7', 'PLM-2026-000001', '0e0e7b3b-80fe-4400-8451-bc928ab138a3', 'a17a6e6f-72b5-4c89-977c-e3939ee95bea', 'Crash on save', 'Crash on save — details in the steps', 'critical', 'email', 'open', 'plm-group', '2025.1', 'premium', 'norway', '2026-12-05 22:32:09.715473+00', 'SOLIDWORKS', '2026', 'SP1.0', '1. Open the file 2. Save', true, false, NULL, 'Ola Nordmann', '+47 22 00 00 00', 'ola@fjord.demo', NULL, false, NULL, NULL, false, 2, 'norway', 1, 1, 2, 0, 'no', NULL, '9999-12-31 23:59:59+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cc2c-7f3f-8643-b4cd04e73a21', 'PLM-2026-000002', '0e0e7b3b-80fe-4400-8451-bc928ab138a3', 'a17a6e6f-72b5-4c89-977c-e3939ee95bea', 'Old drawings open slowly', 'Old drawings open slowly — details in the steps', 'medium', 'email', 'new', 'plm-group', '2025.1', 'premium', 'norway', '2026-12-05 00:32:09.715473+00', 'SOLIDWORKS', '2022', 'SP1.0', '1. Open the file 2. Save', true, false, NULL, 'Ola Nordmann', '+47 22 00 00 00', 'ola@fjord.demo', NULL, true, NULL, '2026-12-07 15:00:00+00', false, 1, 'norway', 1, 1, 2, 2, 'no', NULL, '2026-12-07 15:00:00+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cc33-72eb-9b2f-0366053d859b', 'PLM-2026-000003', '0e0e7b3b-80fe-4400-8451-bc928ab138a3', 'a17a6e6f-72b5-4c89-977c-e3939ee95bea', 'Set up our PDM vault', 'Set up our PDM vault — details in the steps', 'low', 'email', 'new', 'plm-group', '2025.1', 'premium', 'norway', '2026-12-05 18:32:09.715473+00', 'SOLIDWORKS', '2025', 'SP1.0', '1. Open the file 2. Save', true, false, NULL, 'Ola Nordmann', '+47 22 00 00 00', 'ola@fjord.demo', NULL, false, 'consultancy', NULL, false, 2, 'norway', 1, 1, 2, 3, 'no', NULL, '9999-12-31 23:59:59+00', NULL, NULL, NULL);
INSERT INTO public.cases VALUES ('01a24931-cc52-7426-af97-73ce3c999c12', 'PRA-2026-000001', 'c073b312-6a08-4961-8624-7f8c6d2286b5', '76bdbc15-f499-4d28-b1dd-0f4be0673e28', 'Invoice export fails', 'CSV export stops at 1,000 rows', NULL, 'email', 'new', 'pro-plus', '2025.1', 'pro-plus', 'us-central', '2026-12-05 20:32:09.715473+00', NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, false, NULL, '2026-12-09 01:00:00+00', false, 1, 'tier-1', 1, 0, 2, 0, 'en', NULL, '2026-12-09 01:00:00+00', NULL, NULL, NULL);


--
-- Data for Name: clock_alarms; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.clock_alarms VALUES ('01a24931-cb70-77e4-876c-f4b8f5fe8e1b', '01a24931-cb70-768d-8093-fdd25f0cd944', 'initial-response', 'warning-75', '2026-12-07 05:32:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cb70-77fa-a030-3fbe8ebd5aad', '01a24931-cb70-768d-8093-fdd25f0cd944', 'initial-response', 'warning-90', '2026-12-07 07:20:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cb70-780c-be39-5ead3f86e64b', '01a24931-cb70-768d-8093-fdd25f0cd944', 'initial-response', 'breach', '2026-12-07 08:32:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc07-7a5c-8ea4-b4ed3d2b09a3', '01a24931-cbef-74ec-a0a7-a766275012f3', 'resolution', 'warning-75', '2026-12-11 22:32:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc07-7a9a-86e8-66d836d5cc8e', '01a24931-cbef-74ec-a0a7-a766275012f3', 'resolution', 'warning-90', '2026-12-13 10:32:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc07-7aaf-8503-a1846f19d694', '01a24931-cbef-74ec-a0a7-a766275012f3', 'resolution', 'breach', '2026-12-14 10:32:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc0b-77dd-8248-597f8d835385', '01a24931-cc0b-7673-a47f-c154745e8315', 'initial-response', 'warning-75', '2026-12-07 19:45:00+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc0b-77f1-98a5-9024a4b43172', '01a24931-cc0b-7673-a47f-c154745e8315', 'initial-response', 'warning-90', '2026-12-07 21:06:00+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc0b-7804-87ea-e846ba7a1299', '01a24931-cc0b-7673-a47f-c154745e8315', 'initial-response', 'breach', '2026-12-08 13:00:00+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc0b-7814-adf9-85ecd80711fd', '01a24931-cc0b-7673-a47f-c154745e8315', 'patch', 'warning-75', '2026-12-11 03:32:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc0b-7825-8d2f-1c39ccb0d17a', '01a24931-cc0b-7673-a47f-c154745e8315', 'patch', 'warning-90', '2026-12-12 04:44:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc0b-7835-81e1-4fe9034623c1', '01a24931-cc0b-7673-a47f-c154745e8315', 'patch', 'breach', '2026-12-12 21:32:09+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc2d-70a5-a15b-6ab43bc0964a', '01a24931-cc2c-7f3f-8643-b4cd04e73a21', 'initial-response', 'warning-75', '2026-12-07 13:00:00+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc2d-70bd-94fd-2cb950748f3a', '01a24931-cc2c-7f3f-8643-b4cd04e73a21', 'initial-response', 'warning-90', '2026-12-07 14:12:00+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc2d-70cf-b328-ed9df1c0817a', '01a24931-cc2c-7f3f-8643-b4cd04e73a21', 'initial-response', 'breach', '2026-12-07 15:00:00+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc52-7578-a6c8-cf001fd6a628', '01a24931-cc52-7426-af97-73ce3c999c12', 'initial-response', 'warning-75', '2026-12-08 19:00:00+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc52-758d-953a-40695476fe7d', '01a24931-cc52-7426-af97-73ce3c999c12', 'initial-response', 'warning-90', '2026-12-08 22:36:00+00');
INSERT INTO public.clock_alarms VALUES ('01a24931-cc52-759f-b215-04d78463fe68', '01a24931-cc52-7426-af97-73ce3c999c12', 'initial-response', 'breach', '2026-12-09 01:00:00+00');


--
-- Data for Name: clocks; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.clocks VALUES ('01a24931-cb6a-793c-b383-3b856bad4bd0', '01a24931-cb58-7c7d-9d68-f8ea7d946410', 'initial-response', '1 calendar hour', '2026-12-06 00:32:09+00', 'met');
INSERT INTO public.clocks VALUES ('01a24931-cb70-771d-9266-93a4aabce86d', '01a24931-cb70-768d-8093-fdd25f0cd944', 'initial-response', '12 business hours', '2026-12-07 08:32:09+00', 'running');
INSERT INTO public.clocks VALUES ('01a24931-cb82-7691-a97f-f73259c157ae', '01a24931-cb76-76e8-9d42-71c4ba1ea394', 'initial-response', '1 calendar hour', '2026-12-05 21:32:09+00', 'breached');
INSERT INTO public.clocks VALUES ('01a24931-cb9f-72d8-bea0-b696b60f2103', '01a24931-cb87-799c-8ddd-e5e1501b11d1', 'initial-response', '12 business hours', '2026-12-07 17:00:00+00', 'paused');
INSERT INTO public.clocks VALUES ('01a24931-cbba-71c3-8783-a2671309b150', '01a24931-cba3-7d30-bc3b-223fa4f77d0a', 'initial-response', '24 business hours', '2026-12-08 05:00:00+00', 'met');
INSERT INTO public.clocks VALUES ('01a24931-cbe1-7b0e-97bd-79f47024a9c6', '01a24931-cbbf-7dd5-911e-ee4cac9ec72e', 'initial-response', '48 business hours', '2026-12-05 02:32:09+00', 'met');
INSERT INTO public.clocks VALUES ('01a24931-cc05-757c-81ca-82a31983ea12', '01a24931-cbef-74ec-a0a7-a766275012f3', 'initial-response', '1 business day', '2026-12-07 13:00:00+00', 'met');
INSERT INTO public.clocks VALUES ('01a24931-cc05-75b6-b58c-a81367847c2b', '01a24931-cbef-74ec-a0a7-a766275012f3', 'resolution', '10 days', '2026-12-14 10:32:09+00', 'running');
INSERT INTO public.clocks VALUES ('01a24931-cc05-75d2-8eb5-27ee12fc15a0', '01a24931-cbef-74ec-a0a7-a766275012f3', 'patch', NULL, NULL, 'no-target');
INSERT INTO public.clocks VALUES ('01a24931-cc0b-76f6-a7ff-4581717e602c', '01a24931-cc0b-7673-a47f-c154745e8315', 'initial-response', '1 business day', '2026-12-08 13:00:00+00', 'running');
INSERT INTO public.clocks VALUES ('01a24931-cc0b-7704-9000-f11c88c865b5', '01a24931-cc0b-7673-a47f-c154745e8315', 'resolution', NULL, NULL, 'no-target');
INSERT INTO public.clocks VALUES ('01a24931-cc0b-7711-96f0-02eefefc3800', '01a24931-cc0b-7673-a47f-c154745e8315', 'patch', '7 days', '2026-12-12 21:32:09+00', 'running');
INSERT INTO public.clocks VALUES ('01a24931-cc27-7b60-be2b-ed1259374be4', '01a24931-cc1b-7d0b-8810-0842cf6c9fd7', 'initial-response', '2 business hours', '2026-12-07 09:00:00+00', 'met');
INSERT INTO public.clocks VALUES ('01a24931-cc2c-7fd5-8049-c7d353f9e9c5', '01a24931-cc2c-7f3f-8643-b4cd04e73a21', 'initial-response', '8 business hours', '2026-12-07 15:00:00+00', 'running');
INSERT INTO public.clocks VALUES ('01a24931-cc3e-7119-9c1e-d6feb10f7dc5', '01a24931-cc33-72eb-9b2f-0366053d859b', 'initial-response', NULL, NULL, 'excluded');
INSERT INTO public.clocks VALUES ('01a24931-cc52-74b8-babb-4774486d223d', '01a24931-cc52-7426-af97-73ce3c999c12', 'initial-response', '24 business hours', '2026-12-09 01:00:00+00', 'running');


--
-- Data for Name: deliveries; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: delivery_attempts; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: organization_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.organization_events VALUES ('bcfbc165-d1af-4bc2-b888-604cc4415e63', '0635a5d2-38b3-490b-a02c-d490c00d634f', '2026-12-06 02:32:09.715473+00', NULL, 'created', 'gold', '2026-01-01', 'subscribed to plex gold from 2026-01-01 to 2026-12-31');
INSERT INTO public.organization_events VALUES ('de28ae8d-fda1-489c-aa67-4e72a4805b0b', '0635a5d2-38b3-490b-a02c-d490c00d634f', '2026-12-06 02:32:09.715473+00', NULL, 'person-added', '152951BF-E2A7-4482-B002-614B26F332FC', NULL, 'authorized-contact added');
INSERT INTO public.organization_events VALUES ('aa66bd52-006b-454a-abda-b56185150533', '0635a5d2-38b3-490b-a02c-d490c00d634f', '2026-12-06 02:32:09.715473+00', NULL, 'person-added', '1A1AB971-585B-42D5-8B24-8A9AB9233BDC', NULL, 'user added');
INSERT INTO public.organization_events VALUES ('2e1013e2-59cd-4ab4-82a9-c12c6234974d', '0635a5d2-38b3-490b-a02c-d490c00d634f', '2026-12-06 02:32:09.715473+00', NULL, 'tam', '674EFCAB-2ED2-4302-9334-61BCBDCE15D8', NULL, 'tam is now 674EFCAB-2ED2-4302-9334-61BCBDCE15D8');
INSERT INTO public.organization_events VALUES ('b66fa927-fb5a-4e05-9c22-d6a62bcdde15', '0b06995f-eaab-4ab8-8f0d-9515fb4fde5d', '2026-12-06 02:32:09.715473+00', NULL, 'created', 'standard', '2026-01-01', 'subscribed to plixer standard from 2026-01-01 to 2026-12-31');
INSERT INTO public.organization_events VALUES ('1f92b44d-a1c9-4c6b-80c9-4caa6b8c08e7', '0b06995f-eaab-4ab8-8f0d-9515fb4fde5d', '2026-12-06 02:32:09.715473+00', NULL, 'person-added', 'CD87FE39-EF84-4DC2-AA41-C23DC978C9BF', NULL, 'user added');
INSERT INTO public.organization_events VALUES ('8bd9a0be-5b9e-486e-b94e-3af46a6e8f30', '0e0e7b3b-80fe-4400-8451-bc928ab138a3', '2026-12-06 02:32:09.715473+00', NULL, 'created', 'premium', '2026-01-01', 'subscribed to plm-group premium from 2026-01-01 to 2026-12-31');
INSERT INTO public.organization_events VALUES ('86408a18-4299-458b-9b6e-015b2145c07a', '0e0e7b3b-80fe-4400-8451-bc928ab138a3', '2026-12-06 02:32:09.715473+00', NULL, 'person-added', 'A17A6E6F-72B5-4C89-977C-E3939EE95BEA', NULL, 'user added');
INSERT INTO public.organization_events VALUES ('132ef0ea-e011-4041-b885-37271e222564', 'c073b312-6a08-4961-8624-7f8c6d2286b5', '2026-12-06 02:32:09.715473+00', NULL, 'created', 'pro-plus', '2026-01-01', 'subscribed to pro-plus pro-plus from 2026-01-01 to 2026-12-31');
INSERT INTO public.organization_events VALUES ('8c7c85f5-3d37-4689-a934-bf4f2ed62c9d', 'c073b312-6a08-4961-8624-7f8c6d2286b5', '2026-12-06 02:32:09.715473+00', NULL, 'person-added', '76BDBC15-F499-4D28-B1DD-0F4BE0673E28', NULL, 'user added');
INSERT INTO public.organization_events VALUES ('a4c6deae-4908-4e5e-a2fc-a56411fa244e', 'c073b312-6a08-4961-8624-7f8c6d2286b5', '2026-12-06 02:32:09.715473+00', NULL, 'primary-contact', '76BDBC15-F499-4D28-B1DD-0F4BE0673E28', NULL, 'primary-contact is now 76BDBC15-F499-4D28-B1DD-0F4BE0673E28');
INSERT INTO public.organization_events VALUES ('ec919196-67b5-4694-9d9d-40b13c4d7f62', 'c073b312-6a08-4961-8624-7f8c6d2286b5', '2026-12-06 02:32:09.715473+00', '76bdbc15-f499-4d28-b1dd-0f4be0673e28', 'priority-senders', 'prairie.demo', NULL, 'priority senders: added prairie.demo');


--
-- Data for Name: organizations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.organizations VALUES ('0635a5d2-38b3-490b-a02c-d490c00d634f', 'Acme Manufacturing', 'plex', 'gold', 'global', '2026-01-01', '2026-12-31', true, NULL, 'ACME', '2026-12-06 02:32:09.793766+00');
INSERT INTO public.organizations VALUES ('0b06995f-eaab-4ab8-8f0d-9515fb4fde5d', 'Northwind Networks', 'plixer', 'standard', 'us-east', '2026-01-01', '2026-12-31', false, NULL, 'NWN', '2026-12-06 02:32:09.956089+00');
INSERT INTO public.organizations VALUES ('0e0e7b3b-80fe-4400-8451-bc928ab138a3', 'Fjord Design AS', 'plm-group', 'premium', 'norway', '2026-01-01', '2026-12-31', false, NULL, 'PLM', '2026-12-06 02:32:09.999608+00');
INSERT INTO public.organizations VALUES ('c073b312-6a08-4961-8624-7f8c6d2286b5', 'Prairie Foods', 'pro-plus', 'pro-plus', 'us-central', '2026-01-01', '2026-12-31', false, NULL, 'PRA', '2026-12-06 02:32:10.048563+00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: people; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.people VALUES ('52a9e741-d10b-432d-9982-26b212f3ee23', NULL, 'Administrator', 'admin@localhost', 'admin', NULL, false, NULL, '2026-12-06 02:32:09.710333+00');
INSERT INTO public.people VALUES ('d6980951-4262-4ebf-a507-26d7a5309a7a', NULL, 'Tia Tier-One', 'agent.tier1@accord.demo', 'agent', 1, false, NULL, '2026-12-06 02:32:09.737819+00');
INSERT INTO public.people VALUES ('560acda4-8a0f-4387-ba4c-89e9ebff58fd', NULL, 'Tom Tier-Two', 'agent.tier2@accord.demo', 'agent', 2, false, NULL, '2026-12-06 02:32:09.742571+00');
INSERT INTO public.people VALUES ('ea0fd196-3e41-41ff-8d93-a8b245fc6b7d', NULL, 'Mia Manager', 'manager@accord.demo', 'manager', NULL, false, NULL, '2026-12-06 02:32:09.746978+00');
INSERT INTO public.people VALUES ('674efcab-2ed2-4302-9334-61bcbdce15d8', NULL, 'Theo TAM', 'tam@accord.demo', 'tam', NULL, false, NULL, '2026-12-06 02:32:09.751462+00');
INSERT INTO public.people VALUES ('152951bf-e2a7-4482-b002-614b26f332fc', '0635a5d2-38b3-490b-a02c-d490c00d634f', 'Ann Contact', 'ann@acme.demo', 'authorized-contact', NULL, false, NULL, '2026-12-06 02:32:09.79802+00');
INSERT INTO public.people VALUES ('1a1ab971-585b-42d5-8b24-8a9ab9233bdc', '0635a5d2-38b3-490b-a02c-d490c00d634f', 'Bob User', 'bob@acme.demo', 'user', NULL, false, NULL, '2026-12-06 02:32:09.803569+00');
INSERT INTO public.people VALUES ('cd87fe39-ef84-4dc2-aa41-c23dc978c9bf', '0b06995f-eaab-4ab8-8f0d-9515fb4fde5d', 'Nina Netops', 'nina@northwind.demo', 'user', NULL, false, NULL, '2026-12-06 02:32:09.959768+00');
INSERT INTO public.people VALUES ('a17a6e6f-72b5-4c89-977c-e3939ee95bea', '0e0e7b3b-80fe-4400-8451-bc928ab138a3', 'Ola Nordmann', 'ola@fjord.demo', 'user', NULL, false, NULL, '2026-12-06 02:32:10.0034+00');
INSERT INTO public.people VALUES ('76bdbc15-f499-4d28-b1dd-0f4be0673e28', 'c073b312-6a08-4961-8624-7f8c6d2286b5', 'Paul Prairie', 'paul@prairie.demo', 'user', NULL, false, NULL, '2026-12-06 02:32:10.052307+00');


--
-- Data for Name: policies; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.policies VALUES ('b6e43d8a-f469-457f-934c-17931b3633bd', 'plex', '2025.1', '# Plex Customer Care Plans (Plex, a Rockwell Automation company).
# Sources: shared/seeds/000 (support overview and plan comparison) and 001 (Customer Care Plan terms).
accord: 1
id: plex
name: Plex Customer Care Plans
version: "2025.1"
source: Plex Customer Care Plans; Plex Customer Support overview
zone: America/Detroit

calendars:
  # "Business days": Monday through Friday excluding holidays observed by Plex, 24 hours a day
  # ("24/5 Case Support"). P2-P4 targets "exclude weekends and holidays observed by Plex".
  # Plex does not publish its holiday list; US federal holidays stand in for it. An operator adds or
  # removes days with add-holidays / remove-holidays.
  business-days:
    zone: America/Detroit
    hours:
      mon-fri: 00:00-24:00
    holidays: [US]
  # The Plex Community and P1 handling: "24 hours X 7 days a week", weekends and holidays included.
  always:
    zone: America/Detroit
    hours: 24x7

  # Follow-the-sun desks. The documents name the model and the languages, not the desks'' locations or
  # hours: these three are an example an operator adapts to the real desks.
  americas-desk:
    zone: America/Detroit
    hours: {mon-fri: 07:00-19:00}
    holidays: [US]
  europe-desk:
    zone: Europe/Bratislava
    hours: {mon-fri: 08:00-17:00}
  asia-desk:
    zone: Asia/Shanghai
    hours: {mon-fri: 09:00-18:00}

regions:
  - id: global
    name: Global (follow-the-sun)
    calendar: business-days
    languages: [en, zh, fr, de, it, ja, pt, sk, es]

priorities:
  - id: p1
    name: Critical
    definition: Critical production issue affecting all Users, including unavailability and data integrity issues with no workaround available – critical impact to shipping or production.
  - id: p2
    name: Severe
    definition: Product functionality severely degraded – severe impact to business operations.
  - id: p3
    name: General
    definition: General errors/issues – product impaired however business operations remain functional.
  - id: p4
    name: Information
    definition: Basic information or assistance with Plex products – little to no impact on business operations.

plans:
  - id: silver
    name: Silver Customer Care Plan
    entitlements:
      authorized-contacts: {included: 2, extra-at-fee: true}
      ticket-priority: standard
      technical-account-manager: none
      business-reviews: []
      premium-community: false
      escalation-advocate: false
      automation-fair-passes: 0
      notes: [Included with every Plex module, Plex Community with 24/7 access to online cases]
  - id: gold
    name: Gold Customer Care Plan
    entitlements:
      authorized-contacts: {included: 4, extra-at-fee: true}
      ticket-priority: higher
      technical-account-manager: reactive
      business-reviews: [quarterly]
      premium-community: true
      escalation-advocate: true
      automation-fair-passes: 0
  - id: platinum
    name: Platinum Customer Care Plan
    entitlements:
      authorized-contacts: {included: 6, extra-at-fee: true}
      ticket-priority: highest
      # A named Technical Account Manager who works proactively and visits once a year.
      technical-account-manager: named
      business-reviews: [monthly, quarterly]
      premium-community: true
      escalation-advocate: true
      automation-fair-passes: 1
      dedicated-support-desk: true
      notes: [Certified Platinum Support Team, In-person review at least once per year]

metrics:
  - id: initial-response
    name: Target initial response
    kind: initial-response
    starts: case-logged
    paused-by: [awaiting-customer]
    targets:
      silver:
        p1: 1 calendar hour        # including weekends and holidays
        p2: 24 business hours      # exclude weekends and holidays observed by Plex
        p3: 48 business hours
        p4: 5 business days
      gold:
        p1: 1 calendar hour
        p2: 12 business hours
        p3: 24 business hours
        p4: 48 business hours
      # The Platinum table in the Care Plans document repeats the Silver response times (24/48 hours,
      # 5 business days) although the overview promises faster SLAs for premium plans. The preset
      # follows the document''s table as written; change it here if the contract says otherwise.
      platinum:
        p1: 1 calendar hour
        p2: 24 business hours
        p3: 48 business hours
        p4: 5 business days

intake:
  # P1: any User or Authorized Contact, immediately via the toll-free number or online.
  - priorities: [p1]
    who: [user, authorized-contact]
    channels: [phone, web]
  # P2, P3, P4: Authorized Contacts only, using the PSP online ticketing system.
  - priorities: [p2, p3, p4]
    who: [authorized-contact]
    channels: [web]

phone-support:
  priorities: [p1]
  hours: 24x7
  languages: [en]

renewal:
  automatic: true
  notice-days: 90
  after-lapse: no-support

# Enhanced Business Continuity: scheduled maintenance limited per calendar year to 60 minutes in
# ten calendar months and 240 minutes in two.
maintenance-limits:
  - {minutes: 60, months-per-year: 10}
  - {minutes: 240, months-per-year: 2}

visibility: authorized-contacts-oversee

teams:
  # "24/7 for Critical Cases": one P1 team around the clock.
  - {id: p1-desk, name: P1 critical response, tier: 1, calendar: always, languages: [en]}
  - {id: americas, name: Americas desk, tier: 1, calendar: americas-desk, languages: [en, es, pt, fr]}
  - {id: europe, name: Europe desk, tier: 1, calendar: europe-desk, languages: [en, de, fr, it, sk, es, pt]}
  - {id: asia, name: Asia desk, tier: 1, calendar: asia-desk, languages: [en, zh, ja]}
  - {id: tier-2, name: Tier 2 product specialists, tier: 2, calendar: business-days, languages: [en]}

routing:
  rules:
    - {when: {priority: p1}, to: [p1-desk]}
  # Everything else follows the sun: the desk that speaks the case''s language and is open now.
  default: [americas, europe, asia]
  # "Enhanced Ticket and Development Priority": standard, higher, highest.
  queue-order: [plan-rank, due, arrival]
  olas:
    - {id: tier-2-pickup, name: Tier 2 picks up an escalated case, tier: 2, target: 4 business hours}
', NULL, '2026-12-06 02:32:09.624046+00', '2026-12-06 02:32:09.624046+00', true);
INSERT INTO public.policies VALUES ('7bf86b25-36f1-4412-a8b5-6ada6279d7e2', 'plixer', '2025.1', '# Plixer Support SLAs. Source: shared/seeds/002.
accord: 1
id: plixer
name: Plixer Support SLAs
version: "2025.1"
source: Plixer Support SLAs
zone: America/New_York

calendars:
  # "Standard support hours are between 8 AM – 5 PM ET Monday through Friday excluding holidays."
  business-hours:
    zone: America/New_York
    hours:
      mon-fri: 08:00-17:00
    holidays: [US]
  # "Tier 2 support covers 24/7/365 at an additional cost."
  always:
    zone: America/New_York
    hours: 24x7

regions:
  - id: us-east
    name: United States (Eastern)
    calendar: business-hours
    languages: [en]

priorities:
  - id: severity-1
    name: Complete failure
    definition: Essential features or essential functions do not work properly.
  - id: severity-2
    name: Material fault causes unreasonable business risk
    definition: Using the goods in day-to-day business is possible, but only by taking additional considerable measures.
  - id: severity-3
    name: Isolated defect
    definition: One individual function of the goods does not work properly and leads to an impairment of the usability of the goods that is not insignificant only, but can be narrowed down locally and systematically.
  - id: severity-4
    name: Insignificant impairment
    definition: One individual function of the goods does not work properly and leads to an impairment of the usability of the goods that can be narrowed down locally, but is not significant.

plans:
  - id: standard
    name: Standard maintenance
    entitlements:
      notes: [Telephone and live chat support, One-hour training session with each purchase, Access to supported major and minor upgrades]
  - id: tier-2
    name: Tier 2 Support (24/7/365)
    calendar: always
    entitlements:
      notes: [24/7/365 coverage at an additional cost]

metrics:
  - id: initial-response
    name: Response time
    kind: initial-response
    starts: case-logged
    paused-by: [awaiting-customer]
    # "Response time shall be within 1 business day." On Tier 2''s 24x7 calendar a business day is a day.
    targets:
      standard: 1 business day
      tier-2: 1 business day
  - id: resolution
    name: Defect rectification period
    kind: resolution
    # Confirming a defect "commences the appropriate defect rectification period".
    starts: defect-confirmed
    paused-by: [awaiting-customer]
    # "If it is not possible to rectify within the appropriate defect rectification period, Plixer will
    # notify the Customer without undue delay, stating the reasons" and an estimated time of rectification.
    notify-when-late: true
    targets:
      standard: {severity-1: 5 days, severity-2: 10 days, severity-3: 2 weeks, severity-4: 4 weeks}
      tier-2: {severity-1: 5 days, severity-2: 10 days, severity-3: 2 weeks, severity-4: 4 weeks}
  - id: patch
    name: Operating-system patch deployment (CVSS)
    kind: patch
    # "If an official software patch is not available at the time of notification, the rectification
    # period will begin when a patch becomes available."
    starts: later-of-notification-and-patch-available
    cvss-bands:
      - {name: critical, min: 9.0, target: 7 days}
      - {name: high, min: 7.0, below: 9.0, target: 60 days}
      - {name: medium, min: 5.0, below: 7.0, target: 90 days}
      - {name: low, min: 0.0, below: 5.0, target: 120 days}

intake:
  - priorities: []
    who: [user, authorized-contact]
    channels: [phone, chat, web, email]

phone-support:
  priorities: []
  hours: business-hours
  languages: [en]

visibility: organization

# The document names the 8-17 ET support desk and the Tier 2 plan''s 24/7/365 coverage; the
# engineering team that rectifies confirmed defects works business hours.
teams:
  - {id: support, name: Support desk, tier: 1, calendar: business-hours, languages: [en]}
  - {id: around-the-clock, name: 24/7 Tier 2 coverage, tier: 1, calendar: always, languages: [en]}
  - {id: engineering, name: Engineering, tier: 2, calendar: business-hours, languages: [en]}

routing:
  rules:
    # Tier 2 plan customers: the support desk while it is open, the 24/7 team otherwise.
    - {when: {plan: tier-2}, to: [support, around-the-clock]}
  default: [support]
  queue-order: [priority, due, arrival]
', NULL, '2026-12-06 02:32:09.624046+00', '2026-12-06 02:32:09.624046+00', true);
INSERT INTO public.policies VALUES ('2e03dc08-3f18-46ca-a3ef-a7387bab228b', 'plm-group', '2025.1', '# PLM Group Support Information and Service Level Agreement. Source: shared/seeds/003.
accord: 1
id: plm-group
name: PLM Group Support SLA
version: "2025.1"
source: PLM Group Support Information and Service Level Agreement
zone: Europe/Oslo

calendars:
  norway:
    zone: Europe/Oslo
    hours: {mon-fri: 08:00-16:00}
    holidays: [NO]
  iceland:
    zone: Atlantic/Reykjavik
    hours: {mon-fri: 08:00-16:00}
    holidays: [IS]
  denmark:
    zone: Europe/Copenhagen
    hours:
      mon-thu: 08:00-12:00, 13:00-16:00
      fri: 08:00-12:00, 13:00-15:00
    holidays: [DK]
  sweden:
    zone: Europe/Stockholm
    hours: {mon-fri: "08:00-12:00, 13:00-16:00"}
    holidays: [SE]
  finland:
    zone: Europe/Helsinki
    hours: {mon-fri: 08:00-15:00}
    holidays: [FI]
  estonia:
    zone: Europe/Tallinn
    hours: {mon-fri: "08:00-12:00, 13:00-16:00"}
    holidays: [EE]
  latvia:
    zone: Europe/Riga
    hours: {mon-fri: "08:00-12:00, 13:00-16:00"}
    holidays: [LV]

  global:
    zone: Europe/Oslo
    hours: {mon-fri: 08:00-17:00}

regions:
  - {id: norway, name: Norway, calendar: norway, mailbox: support@plmgroup.no, languages: [no, en]}
  # Iceland is served through the Norwegian mailbox.
  - {id: iceland, name: Iceland, calendar: iceland, mailbox: support@plmgroup.no, languages: [is, en]}
  - {id: denmark, name: Denmark, calendar: denmark, mailbox: support@plmgroup.dk, languages: [da, en]}
  - {id: sweden, name: Sweden, calendar: sweden, mailbox: support@plmgroup.se, languages: [sv, en]}
  - {id: finland, name: Finland, calendar: finland, mailbox: support@plmgroup.fi, languages: [fi, en]}
  - {id: estonia, name: Estonia, calendar: estonia, mailbox: support@plmgroup.ee, languages: [et, en]}
  - {id: latvia, name: Latvia, calendar: latvia, mailbox: support@plmgroup.lv, languages: [lv, en]}

priorities:
  - id: critical
    name: Critical
    definition: Customer is unable to use the Licensed Programs or Dassault Systèmes Online services. Have severe/critical impacts on operations, and no Workaround exists. Typically, the issue is not isolated to specific files, but rather can be reproduced with multiple customer datasets.
  - id: high
    name: High
    definition: Customer is able to use the Licensed Programs or Dassault Systèmes Online services. Operations are severely restricted by the incident, but a Workaround exists. Typically, the issue is not isolated to specific files, but rather can be reproduced with multiple customer datasets.
  - id: medium
    name: Medium
    definition: Customer can use the Licensed Programs or Dassault Systèmes Online services, with some restrictions on one or several functions that do not have a severe impact on operations. A software function is inoperable or not working as designed; work can continue with moderate impact to the business operations.
  - id: low
    name: Low
    definition: The Case causes little or no impact to Customer''s operations. No loss of functionality; this can be a documentation error, poor error message, etc. This has no business impact on the customer.
  - id: question
    name: Question
    definition: General questions regarding use and/or administration of supported programs.

plans:
  - id: standard
    name: Standard
    entitlements:
      notes: [Support during business workdays in the customer''s country]
  - id: premium
    name: Premium
    entitlements:
      notes: [Faster initial response]

metrics:
  - id: initial-response
    name: Initial response
    kind: initial-response
    starts: case-logged
    paused-by: [awaiting-customer]
    targets:
      standard: {critical: 4 business hours, high: 8 business hours, medium: 16 business hours, low: 4 business days, question: none}
      # Questions have no target in the document.
      premium: {critical: 2 business hours, high: 4 business hours, medium: 8 business hours, low: 2 business days, question: none}

intake:
  - priorities: []
    who: [user, authorized-contact]
    channels: [web, email, phone]

# "Each support request should, as a minimum include:"
required-information:
  - {field: contact-name, label: Name}
  - {field: phone, label: Phone number}
  - {field: email, label: Email}
  - {field: version, label: SOLIDWORKS version (20XX), pattern: ''^20[0-9]{2}$''}
  - {field: service-pack, label: Service pack (SPX.X), pattern: ''^SP[0-9]+(\.[0-9]+)?$''}
  - {field: english-consent, label: Willing or not to receive English support via global support}
  - {field: description, label: Description of your inquiry}
  - {field: steps-to-reproduce, label: Step-by-step if the problem is reproducible}
  - {field: screenshots, label: Screen dumps of dialogs and messages, required: false}
  - {field: apps, label: Name of apps in use (3DEXPERIENCE), required: false}

scope-exclusions:
  classification: consultancy
  leaves-sla: true
  items:
    - Installation
    - Upgrades of installations
    - Model design and/or creation
    - Setup of templates
    - Creating and editing macros / api
    - Define or changes of rules, flows and workflow
    - Simulation (setup, calculation, verification etc.)
    - IT and hardware related issues
    - PDM and HostPLM setup and/or modification of a present PDM and/or HostPLM setup
    - 3DEXPERIENCE setup and/or modifications of existing 3DEXPERIENCE environment
    - Upgrading file databases and/or physical files
    - Locate and isolate student files

# Each country''s support address reaches that country''s team (Norway''s also serves Iceland). A
# requester "willing to receive English support via global support" may go to the global English team
# when the regional backlog is long; the document gives neither that team''s hours nor the backlog size,
# so both are settings to adapt.
teams:
  - {id: norway, name: Support Norway, calendar: norway, languages: ["no", is, en]}
  - {id: denmark, name: Support Denmark, calendar: denmark, languages: [da, en]}
  - {id: sweden, name: Support Sweden, calendar: sweden, languages: [sv, en]}
  - {id: finland, name: Support Finland, calendar: finland, languages: [fi, en]}
  - {id: estonia, name: Support Estonia, calendar: estonia, languages: [et, en]}
  - {id: latvia, name: Support Latvia, calendar: latvia, languages: [lv, en]}
  - {id: global-english, name: Global English support, calendar: global, languages: [en]}

routing:
  rules:
    - {when: {region: [norway, iceland]}, to: [norway]}
    - {when: {region: denmark}, to: [denmark]}
    - {when: {region: sweden}, to: [sweden]}
    - {when: {region: finland}, to: [finland]}
    - {when: {region: estonia}, to: [estonia]}
    - {when: {region: latvia}, to: [latvia]}
  english-overflow: {team: global-english, backlog-above: 25}

# "the current product version and two versions prior". The current SOLIDWORKS release is 2026.
supported-versions: {current: 2026, prior: 2}

# "The request can only be accessed by the requester ... Due to GDPR it will not be possible for the
# customer''s superuser, IT etc. to get access to see request made by other requesters."
visibility: requester-only
', NULL, '2026-12-06 02:32:09.624046+00', '2026-12-06 02:32:09.624046+00', true);
INSERT INTO public.policies VALUES ('74ab1e7f-d8e7-4a34-9b09-a8212dc31688', 'pro-plus', '2025.1', '# "Pro Plus" support plan. Source: shared/seeds/004.
accord: 1
id: pro-plus
name: Pro Plus Support Plan
version: "2025.1"
source: Pro Plus Plan Details
zone: America/Chicago

calendars:
  tier-1:
    zone: America/Chicago
    hours: {mon-fri: 07:00-19:00}
    holidays: [US]
  tier-2-3:
    zone: America/Chicago
    hours: {mon-fri: 09:00-17:00}
    holidays: [US]

regions:
  - id: us-central
    name: United States (Central)
    calendar: tier-1
    languages: [en]

# Pro Plus cases carry no priority: the queue is first come, first served.
priorities: []

plans:
  - id: pro-plus
    name: Pro Plus
    entitlements:
      priority-queue: true
      notes: [On-demand phone support with Tier 1 during the Tier 1 window]
  - id: free
    name: Free Support
    entitlements:
      priority-queue: false

metrics:
  - id: initial-response
    name: Initial response
    kind: initial-response
    starts: case-logged
    calendar: tier-1
    paused-by: [awaiting-customer]
    # "within 24 hours of submission (within the Tier 1 availability window), but may take up to
    # 2 business days": 24 hours of the 12-hour Tier 1 day are two business days.
    targets:
      pro-plus: 24 business hours
      free: none

intake:
  - priorities: []
    who: [user, primary-contact]
    channels: [email, web, phone]

phone-support:
  priorities: []
  hours: tier-1
  languages: [en]

renewal:
  automatic: false
  notice-days: 0
  after-lapse: free

priority-queue:
  match-by: [sender-address, sender-domain]
  maintained-by: primary-contact

# "Cases may be escalated from the Tier 1 support team to the Tier 2 or 3 support teams"; each team
# works its own availability window.
teams:
  - {id: tier-1, name: Tier 1, tier: 1, calendar: tier-1, languages: [en]}
  - {id: tier-2, name: Tier 2, tier: 2, calendar: tier-2-3, languages: [en]}
  - {id: tier-3, name: Tier 3, tier: 3, calendar: tier-2-3, languages: [en]}

routing:
  # "All cases in this queue are initially addressed in the order they are received by Tier 1":
  # the priority queue first, then first come, first served.
  queue-order: [queue, arrival]
  # Internal targets (not in the document, which promises none to the customer): the provider''s own
  # pick-up times for escalated cases, on each team''s calendar.
  olas:
    - {id: tier-2-pickup, name: Tier 2 picks up an escalated case, tier: 2, target: 4 business hours}
    - {id: tier-3-pickup, name: Tier 3 picks up an escalated case, tier: 3, target: 8 business hours}

visibility: organization
', NULL, '2026-12-06 02:32:09.624046+00', '2026-12-06 02:32:09.624046+00', true);


--
-- Data for Name: priority_senders; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.priority_senders VALUES ('07db6d6d-16d8-418c-adf2-982371ef02d9', 'c073b312-6a08-4961-8624-7f8c6d2286b5', 'prairie.demo');


--
-- Data for Name: team_members; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.team_members VALUES ('47f71adb-38b1-4272-8abf-527b0cfb8a63', 'plixer', 'support', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('2ee8c0e5-4dd2-4e59-801b-082532453c18', 'plixer', 'around-the-clock', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('e4ce55de-018a-4ec0-bcf9-6474660b8a10', 'plixer', 'engineering', '560acda4-8a0f-4387-ba4c-89e9ebff58fd', false, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('e2ff0719-94a1-4bae-827e-c0069b319ec4', 'plex', 'p1-desk', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('82b73651-b630-40b5-a6b3-688a32412077', 'plex', 'americas', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('e7ad4da7-7d09-4c4c-8367-dbeb9b576d27', 'plex', 'europe', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('0069f16b-2e17-46cf-b8c1-75be498a197c', 'plex', 'asia', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('0ef183af-dc05-46bd-b07d-bd435398bf1c', 'plex', 'tier-2', '560acda4-8a0f-4387-ba4c-89e9ebff58fd', false, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('9b5d9206-d371-4e6d-9861-bc76a95e2bc4', 'pro-plus', 'tier-1', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('77aa8468-8352-49dc-af07-d7aa057e976a', 'pro-plus', 'tier-2', '560acda4-8a0f-4387-ba4c-89e9ebff58fd', false, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('43becb58-30aa-44c2-91f6-13a2fa447006', 'plm-group', 'norway', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('0a3dbc94-af12-4d01-a923-75d20afbe00f', 'plm-group', 'denmark', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('780b9ae9-44b0-45e8-a4d2-db4c441ca709', 'plm-group', 'sweden', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('ffe65ca1-cc4d-457f-9367-758dffee0e2f', 'plm-group', 'finland', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('da0b8251-b12a-4823-b73a-e17af84c9313', 'plm-group', 'estonia', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('ebd5ff7d-44b0-43b8-ad9f-fa7c51109bf3', 'plm-group', 'latvia', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');
INSERT INTO public.team_members VALUES ('97f01f19-3fdb-4a43-926d-bc9a2f050e40', 'plm-group', 'global-english', 'd6980951-4262-4ebf-a507-26d7a5309a7a', true, '', '2026-12-06 02:32:09.715473+00');


--
-- Data for Name: templates; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: tokens; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tokens VALUES ('67a52397-1971-4632-9f20-f683f7132106', '52a9e741-d10b-432d-9982-26b212f3ee23', '245c2c3a54bd83614494152d3be35cd40191b5f8fdef2246ceb089feb59dfa75', 'first admin', '2026-12-06 02:32:09.713179+00');
INSERT INTO public.tokens VALUES ('4d7d6cb5-6894-4323-a1e7-c8a865bf37c1', 'd6980951-4262-4ebf-a507-26d7a5309a7a', 'fa34bda2727997e7ab2f685be5be91ae44e426195111c974845931c207b4acc9', 'demo', '2026-12-06 02:32:09.740002+00');
INSERT INTO public.tokens VALUES ('e502e504-f920-49e4-89b4-2e3bb1f9207f', '560acda4-8a0f-4387-ba4c-89e9ebff58fd', '9258ca4bee6a91f80eeb058f924aab34c217cc36aaaa5852bd63a7352a7116d7', 'demo', '2026-12-06 02:32:09.744481+00');
INSERT INTO public.tokens VALUES ('afebb580-48a8-44b9-a982-947a3489a3f4', 'ea0fd196-3e41-41ff-8d93-a8b245fc6b7d', '196f183d493b5e7c46cd8f0d1abe04acffd63f17dccb705a3f80f7fc831a20c6', 'demo', '2026-12-06 02:32:09.748865+00');
INSERT INTO public.tokens VALUES ('67494f6a-52d2-49ed-8a65-be87cabcdfd0', '674efcab-2ed2-4302-9334-61bcbdce15d8', 'a5900e7f5a70a83cebcf59b520bcbd468aafe48b797f4bce11d8442d0ceff7c7', 'demo', '2026-12-06 02:32:09.753252+00');
INSERT INTO public.tokens VALUES ('c9d0398e-ab7e-48f5-be23-9e80bbdaee28', '152951bf-e2a7-4482-b002-614b26f332fc', 'a70ad27349214d5d7208f684ac2708a248a3776073f98a6b900b68aff71012d4', 'demo', '2026-12-06 02:32:09.801025+00');
INSERT INTO public.tokens VALUES ('0a33eaa3-7cb8-4788-b1f5-1e4ee6f27dfe', '1a1ab971-585b-42d5-8b24-8a9ab9233bdc', '37c2d7ad3b5973b50a11496be0b6b8d7a3e1d6bb66f57d481d1c4db23471a5a0', 'demo', '2026-12-06 02:32:09.806595+00');
INSERT INTO public.tokens VALUES ('648da346-289e-4e91-909a-a6ef377e64cb', 'cd87fe39-ef84-4dc2-aa41-c23dc978c9bf', 'f3038500c8a2a29658d03186da8cfdf011ee20830e23ae8683b1d73853154b4c', 'demo', '2026-12-06 02:32:09.962805+00');
INSERT INTO public.tokens VALUES ('1901335a-c85c-4fa6-a1df-734cf0e2d358', 'a17a6e6f-72b5-4c89-977c-e3939ee95bea', '02c364b7d8d855d57ce67f2fbc2e7c2e798cc684d79c51197d57792805b65955', 'demo', '2026-12-06 02:32:10.00627+00');
INSERT INTO public.tokens VALUES ('c1f69b78-d9fe-4df2-b582-f65a508933a2', '76bdbc15-f499-4d28-b1dd-0f4be0673e28', 'fe7085beebdd996726b2a95b604e574ea6d4c304c123058cd40ab81999a3d9ce', 'demo', '2026-12-06 02:32:10.055214+00');


--
-- Data for Name: webhooks; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: _fluent_migrations _fluent_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._fluent_migrations
    ADD CONSTRAINT _fluent_migrations_pkey PRIMARY KEY (id);


--
-- Name: account_roles account_roles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_roles
    ADD CONSTRAINT account_roles_pkey PRIMARY KEY (id);


--
-- Name: attachments attachments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_pkey PRIMARY KEY (id);


--
-- Name: case_counters case_counters_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_counters
    ADD CONSTRAINT case_counters_pkey PRIMARY KEY (prefix);


--
-- Name: case_events case_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_events
    ADD CONSTRAINT case_events_pkey PRIMARY KEY (id);


--
-- Name: case_watchers case_watchers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_watchers
    ADD CONSTRAINT case_watchers_pkey PRIMARY KEY (id);


--
-- Name: cases cases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_pkey PRIMARY KEY (id);


--
-- Name: clock_alarms clock_alarms_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clock_alarms
    ADD CONSTRAINT clock_alarms_pkey PRIMARY KEY (id);


--
-- Name: clocks clocks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clocks
    ADD CONSTRAINT clocks_pkey PRIMARY KEY (id);


--
-- Name: deliveries deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_pkey PRIMARY KEY (id);


--
-- Name: delivery_attempts delivery_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.delivery_attempts
    ADD CONSTRAINT delivery_attempts_pkey PRIMARY KEY (id);


--
-- Name: organization_events organization_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_events
    ADD CONSTRAINT organization_events_pkey PRIMARY KEY (id);


--
-- Name: organizations organizations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_pkey PRIMARY KEY (id);


--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);


--
-- Name: people people_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);


--
-- Name: policies policies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.policies
    ADD CONSTRAINT policies_pkey PRIMARY KEY (id);


--
-- Name: priority_senders priority_senders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_senders
    ADD CONSTRAINT priority_senders_pkey PRIMARY KEY (id);


--
-- Name: team_members team_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_pkey PRIMARY KEY (id);


--
-- Name: templates templates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.templates
    ADD CONSTRAINT templates_pkey PRIMARY KEY (name);


--
-- Name: tokens tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT tokens_pkey PRIMARY KEY (id);


--
-- Name: _fluent_migrations uq:_fluent_migrations.name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._fluent_migrations
    ADD CONSTRAINT "uq:_fluent_migrations.name" UNIQUE (name);


--
-- Name: account_roles uq:account_roles.organization_id+account_roles.role; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_roles
    ADD CONSTRAINT "uq:account_roles.organization_id+account_roles.role" UNIQUE (organization_id, role);


--
-- Name: case_events uq:case_events.case_id+case_events.sequence; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_events
    ADD CONSTRAINT "uq:case_events.case_id+case_events.sequence" UNIQUE (case_id, sequence);


--
-- Name: case_watchers uq:case_watchers.case_id+case_watchers.email; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_watchers
    ADD CONSTRAINT "uq:case_watchers.case_id+case_watchers.email" UNIQUE (case_id, email);


--
-- Name: cases uq:cases.number; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT "uq:cases.number" UNIQUE (number);


--
-- Name: clock_alarms uq:clock_alarms.case_id+clock_alarms.metric+clock_alarms.kind; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clock_alarms
    ADD CONSTRAINT "uq:clock_alarms.case_id+clock_alarms.metric+clock_alarms.kind" UNIQUE (case_id, metric, kind);


--
-- Name: clocks uq:clocks.case_id+clocks.metric; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clocks
    ADD CONSTRAINT "uq:clocks.case_id+clocks.metric" UNIQUE (case_id, metric);


--
-- Name: people uq:people.email; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.people
    ADD CONSTRAINT "uq:people.email" UNIQUE (email);


--
-- Name: policies uq:policies.policy_id+policies.version; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.policies
    ADD CONSTRAINT "uq:policies.policy_id+policies.version" UNIQUE (policy_id, version);


--
-- Name: priority_senders uq:priority_senders.organization_id+priority_senders.entry; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_senders
    ADD CONSTRAINT "uq:priority_senders.organization_id+priority_senders.entry" UNIQUE (organization_id, entry);


--
-- Name: team_members uq:team_members.policy_id+team_members.team_id+team_members.per; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT "uq:team_members.policy_id+team_members.team_id+team_members.per" UNIQUE (policy_id, team_id, person_id);


--
-- Name: tokens uq:tokens.secret_hash; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT "uq:tokens.secret_hash" UNIQUE (secret_hash);


--
-- Name: webhooks webhooks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_pkey PRIMARY KEY (id);


--
-- Name: attachments_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attachments_case ON public.attachments USING btree (case_id);


--
-- Name: cases_assignee; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_assignee ON public.cases USING btree (assignee_id) WHERE (assignee_id IS NOT NULL);


--
-- Name: cases_next_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_next_due ON public.cases USING btree (next_due);


--
-- Name: cases_organization_policy_status_number; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_organization_policy_status_number ON public.cases USING btree (organization_id, policy_id, status, number);


--
-- Name: cases_requester_status_number; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_requester_status_number ON public.cases USING btree (requester_id, status, number);


--
-- Name: cases_waiting; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_waiting ON public.cases USING btree (policy_id, team_id, tier, queue_rank, plan_rank, queue_due, logged_at, number) WHERE ((assignee_id IS NULL) AND (status = ANY (ARRAY['new'::text, 'open'::text])));


--
-- Name: cases_waiting_p_d_a; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_waiting_p_d_a ON public.cases USING btree (policy_id, team_id, tier, priority_rank, queue_due, logged_at, number) WHERE ((assignee_id IS NULL) AND (status = ANY (ARRAY['new'::text, 'open'::text])));


--
-- Name: cases_waiting_pr_d_a; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_waiting_pr_d_a ON public.cases USING btree (policy_id, team_id, tier, plan_rank, queue_due, logged_at, number) WHERE ((assignee_id IS NULL) AND (status = ANY (ARRAY['new'::text, 'open'::text])));


--
-- Name: cases_waiting_q_a; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_waiting_q_a ON public.cases USING btree (policy_id, team_id, tier, queue_rank, logged_at, number) WHERE ((assignee_id IS NULL) AND (status = ANY (ARRAY['new'::text, 'open'::text])));


--
-- Name: clock_alarms_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clock_alarms_due ON public.clock_alarms USING btree (at);


--
-- Name: clocks_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clocks_due ON public.clocks USING btree (due);


--
-- Name: deliveries_pending; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deliveries_pending ON public.deliveries USING btree (next_attempt_at) WHERE (state = 'pending'::text);


--
-- Name: delivery_attempts_delivery; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX delivery_attempts_delivery ON public.delivery_attempts USING btree (delivery_id);


--
-- Name: organization_events_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organization_events_organization ON public.organization_events USING btree (organization_id);


--
-- Name: outbox_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_case ON public.outbox USING btree (case_id, metric, alarm);


--
-- Name: outbox_pending; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_pending ON public.outbox USING btree (created_at) WHERE (dispatched_at IS NULL);


--
-- Name: team_members_person; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX team_members_person ON public.team_members USING btree (person_id);


--
-- Name: watchers_person; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX watchers_person ON public.case_watchers USING btree (person_id);


--
-- Name: account_roles account_roles_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_roles
    ADD CONSTRAINT account_roles_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: account_roles account_roles_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_roles
    ADD CONSTRAINT account_roles_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.people(id);


--
-- Name: attachments attachments_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: attachments attachments_uploaded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.people(id);


--
-- Name: case_events case_events_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_events
    ADD CONSTRAINT case_events_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.people(id);


--
-- Name: case_events case_events_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_events
    ADD CONSTRAINT case_events_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: case_watchers case_watchers_added_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_watchers
    ADD CONSTRAINT case_watchers_added_by_fkey FOREIGN KEY (added_by) REFERENCES public.people(id);


--
-- Name: case_watchers case_watchers_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_watchers
    ADD CONSTRAINT case_watchers_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: case_watchers case_watchers_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_watchers
    ADD CONSTRAINT case_watchers_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.people(id);


--
-- Name: cases cases_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: cases cases_requester_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_requester_id_fkey FOREIGN KEY (requester_id) REFERENCES public.people(id);


--
-- Name: clock_alarms clock_alarms_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clock_alarms
    ADD CONSTRAINT clock_alarms_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: clocks clocks_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clocks
    ADD CONSTRAINT clocks_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: deliveries deliveries_outbox_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_outbox_id_fkey FOREIGN KEY (outbox_id) REFERENCES public.outbox(id);


--
-- Name: delivery_attempts delivery_attempts_delivery_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.delivery_attempts
    ADD CONSTRAINT delivery_attempts_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES public.deliveries(id);


--
-- Name: organization_events organization_events_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_events
    ADD CONSTRAINT organization_events_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.people(id);


--
-- Name: organization_events organization_events_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_events
    ADD CONSTRAINT organization_events_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: people people_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: policies policies_uploaded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.policies
    ADD CONSTRAINT policies_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.people(id);


--
-- Name: priority_senders priority_senders_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_senders
    ADD CONSTRAINT priority_senders_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: team_members team_members_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.people(id);


--
-- Name: tokens tokens_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT tokens_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.people(id);


--
-- PostgreSQL database dump complete
--


