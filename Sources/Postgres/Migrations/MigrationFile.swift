import Foundation

/// One forward-only migration: `NNNN_name.sql`, applied in ascending `version` order.
struct MigrationFile: Sendable, Equatable {
    let version: Int
    let name: String
    let fileName: String
    let sql: String

    /// Reads every `*.sql` file in `directory`. Other files (a README) are ignored, but a
    /// `.sql` file with a malformed name or a duplicate number is an error: silently
    /// skipping it would leave the schema behind without anyone noticing.
    static func load(from directory: URL) throws(PostgresError) -> [MigrationFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw PostgresError(kind: .migration, reason: "cannot list the migrations directory \(directory.lastPathComponent)")
        }
        var files: [MigrationFile] = []
        var seen: [Int: String] = [:]
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            guard let (version, name) = parse(fileName) else {
                throw PostgresError(kind: .migration, reason: "malformed migration file name \(fileName) (expected NNNN_name.sql)")
            }
            if let other = seen[version] {
                throw PostgresError(kind: .migration, reason: "migrations \(other) and \(fileName) share version \(version)")
            }
            seen[version] = fileName
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(fileName).path),
                  let sql = String(data: data, encoding: .utf8) else {
                throw PostgresError(kind: .migration, reason: "cannot read migration \(fileName) as UTF-8")
            }
            files.append(MigrationFile(version: version, name: name, fileName: fileName, sql: sql))
        }
        return files.sorted { $0.version < $1.version }
    }

    /// `0001_create_sites.sql` -> (1, "create_sites"). Digits, then `_`, then a name of
    /// letters, digits, `_` and `-`.
    static func parse(_ fileName: String) -> (Int, String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              !name.isEmpty,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }),
              let version = Int(digits), version > 0
        else { return nil }
        return (version, String(name))
    }
}
