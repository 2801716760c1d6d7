using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>
/// Versioned schema. Each step moves the file from version N-1 to N inside one transaction, and the version
/// lives in <c>PRAGMA user_version</c>. Never edit a released step: add a new one.
/// Times are INTEGER Unix milliseconds (UTC) so reports can do arithmetic in SQL.
/// </summary>
public static class Migrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: everything the foundation needs.
        """
        CREATE TABLE zones (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            attendance_target_minutes INTEGER NOT NULL DEFAULT 45,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE residents (
            id INTEGER PRIMARY KEY,
            zone_id INTEGER REFERENCES zones(id),
            first_name TEXT NOT NULL,
            last_name TEXT NOT NULL,
            address TEXT NOT NULL,
            postcode TEXT,
            phone TEXT,
            date_of_birth TEXT,
            flags TEXT NOT NULL DEFAULT '',
            medical_notes_protected TEXT,
            access_details_protected TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX residents_name ON residents(last_name, first_name);
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            resident_id INTEGER NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            relationship TEXT,
            phone TEXT NOT NULL,
            is_keyholder INTEGER NOT NULL DEFAULT 0,
            priority INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX contacts_resident ON contacts(resident_id);
        CREATE TABLE devices (
            id INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            resident_id INTEGER REFERENCES residents(id),
            secret_hash TEXT,
            receiver_id TEXT,
            account TEXT,
            sensor_zone TEXT,
            test_mode_until INTEGER,
            checkin_interval_seconds INTEGER,
            last_checkin_at INTEGER,
            battery INTEGER,
            allocation_condition TEXT,
            allocation_reason TEXT,
            status TEXT NOT NULL DEFAULT 'active',
            created_at INTEGER NOT NULL,
            retired_at INTEGER
        );
        CREATE UNIQUE INDEX devices_receiver_account ON devices(receiver_id, account, sensor_zone)
            WHERE account IS NOT NULL AND status = 'active';
        CREATE INDEX devices_resident ON devices(resident_id);
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE responders (
            id INTEGER PRIMARY KEY,
            user_id INTEGER UNIQUE REFERENCES users(id),
            name TEXT NOT NULL,
            phone TEXT,
            zone_id INTEGER REFERENCES zones(id),
            on_duty INTEGER NOT NULL DEFAULT 0,
            latitude REAL,
            longitude REAL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key_prefix TEXT NOT NULL UNIQUE,
            key_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        CREATE TABLE signals (
            id INTEGER PRIMARY KEY,
            source INTEGER NOT NULL,
            device_ref TEXT NOT NULL,
            sequence INTEGER,
            frame_hash BLOB NOT NULL,
            event_type TEXT NOT NULL,
            restore INTEGER NOT NULL DEFAULT 0,
            device_time INTEGER,
            received_at INTEGER NOT NULL,
            battery INTEGER,
            zone TEXT,
            data_json TEXT,
            raw_frame BLOB NOT NULL,
            rejection_reason TEXT,
            call_id INTEGER
        );
        CREATE UNIQUE INDEX signals_sequence ON signals(source, device_ref, sequence) WHERE sequence IS NOT NULL;
        CREATE INDEX signals_frame_hash ON signals(frame_hash, received_at);
        CREATE INDEX signals_received ON signals(received_at);
        CREATE INDEX signals_call ON signals(call_id) WHERE call_id IS NOT NULL;
        CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            priority INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            rule TEXT,
            manual INTEGER NOT NULL DEFAULT 0,
            resident_id INTEGER REFERENCES residents(id),
            device_id INTEGER REFERENCES devices(id),
            zone_id INTEGER REFERENCES zones(id),
            summary TEXT,
            first_signal_id INTEGER,
            raised_at INTEGER NOT NULL,
            answered_at INTEGER,
            answered_by TEXT,
            responder_id INTEGER REFERENCES responders(id),
            assigned_at INTEGER,
            accepted_at INTEGER,
            en_route_at INTEGER,
            on_scene_at INTEGER,
            left_at INTEGER,
            resolved_at INTEGER,
            closed_at INTEGER,
            cancelled_at INTEGER,
            cancelled_by_resident INTEGER NOT NULL DEFAULT 0,
            emergency_services_called INTEGER NOT NULL DEFAULT 0,
            outcome TEXT,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX calls_open ON calls(state) WHERE state NOT IN ('Closed', 'Cancelled');
        CREATE INDEX calls_resident ON calls(resident_id, raised_at);
        CREATE INDEX calls_raised ON calls(raised_at);
        CREATE TABLE call_timeline (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT
        );
        CREATE INDEX call_timeline_call ON call_timeline(call_id, id);
        CREATE TRIGGER call_timeline_no_update BEFORE UPDATE ON call_timeline
            BEGIN SELECT RAISE(ABORT, 'call_timeline is append-only'); END;
        CREATE TRIGGER call_timeline_no_delete BEFORE DELETE ON call_timeline
            BEGIN SELECT RAISE(ABORT, 'call_timeline is append-only'); END;
        CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            responder_id INTEGER NOT NULL REFERENCES responders(id),
            state TEXT NOT NULL,
            assigned_at INTEGER NOT NULL,
            assigned_by TEXT NOT NULL,
            accepted_at INTEGER,
            declined_at INTEGER,
            en_route_at INTEGER,
            arrived_at INTEGER,
            left_at INTEGER,
            completed_at INTEGER,
            outcome TEXT
        );
        CREATE INDEX assignments_responder ON assignments(responder_id, state);
        CREATE INDEX assignments_call ON assignments(call_id);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT
        );
        CREATE INDEX audit_at ON audit(at);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        """,

        // 2: what the call state machine in Core carries beyond the first schema, and the triage mark that lets a
        // restart finish signals that were committed but not yet triaged.
        """
        ALTER TABLE calls ADD COLUMN device_ref TEXT;
        ALTER TABLE calls ADD COLUMN zone TEXT;
        ALTER TABLE calls ADD COLUMN reason TEXT;
        ALTER TABLE calls ADD COLUMN declined_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE calls ADD COLUMN breaches INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE call_timeline ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE call_timeline ADD COLUMN from_state TEXT;
        ALTER TABLE call_timeline ADD COLUMN to_state TEXT;
        ALTER TABLE signals ADD COLUMN triaged INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX signals_untriaged ON signals(id) WHERE triaged = 0 AND rejection_reason IS NULL;
        """,

        // 3: expected-activity rules per resident ("no movement by 10:00", "out of bed 30 min at night"), the
        // occurrence each rule last raised a call for (one call per occurrence, also across restarts), and an index
        // to find a resident's recent movement.
        """
        ALTER TABLE residents ADD COLUMN expected_activity TEXT;
        ALTER TABLE residents ADD COLUMN expected_activity_set_at INTEGER;
        CREATE TABLE expected_activity_raised (
            resident_id INTEGER NOT NULL REFERENCES residents(id),
            name TEXT NOT NULL,
            occurrence INTEGER NOT NULL,
            call_id INTEGER,
            PRIMARY KEY (resident_id, name)
        );
        CREATE INDEX signals_device_received ON signals(device_ref, received_at);
        """,

        // 4: the raw-frame hash dedupes only signals without a sequence (serial lines, HTTP without seq). Indexing
        // every signal's random hash cost a B-tree page written per MQTT alarm in every commit.
        """
        DROP INDEX signals_frame_hash;
        CREATE INDEX signals_frame_hash ON signals(frame_hash, received_at) WHERE sequence IS NULL;
        """,
    ];

    public static int LatestVersion => Steps.Count;

    /// <summary>Brings the file up to <paramref name="targetVersion"/> (default: latest). Returns the version it started at.</summary>
    public static int Apply(SqliteConnection connection, int? targetVersion = null)
    {
        var target = targetVersion ?? LatestVersion;
        var current = GetVersion(connection);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {current}, newer than this gateway knows ({LatestVersion}). Refusing to start.");
        }

        for (var version = current + 1; version <= target; version++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Steps[version - 1] + $"\nPRAGMA user_version = {version};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return current;
    }

    public static int GetVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
