import JSON
import Foundation

/// The results of one accepted upload, and whether they came as `{"results": [...]}`.
public struct DecodedUpload: Sendable, Equatable {
    public let results: [ProbeResult]
    public let wasBatch: Bool
}

/// Turns upload bytes into validated `ProbeResult`s or the complete list of faults.
///
/// Validation walks a `JSONValue` tree rather than using `JSONDecoder`, which stops at the
/// first error and loses its position; here every fault carries its JSON pointer, prefixed
/// with `/results/<i>` inside a batch.
public enum ProbeResultDecoder {
    /// probe-result-v1.md: "`{"results": [ ... ]}` with up to 500 of them".
    public static let maximumBatchCount = 500
    /// probe-result-v1.md: "a time more than 10 minutes in the future" is rejected.
    public static let allowedClockSkew: TimeInterval = 600

    public static func decode(_ data: Data, now: Date) -> Result<DecodedUpload, ValidationFailure> {
        decode([UInt8](data), now: now)
    }

    public static func decode(_ bytes: [UInt8], now: Date) -> Result<DecodedUpload, ValidationFailure> {
        let tape: JSONTape
        do {
            tape = try JSONTape.parse(bytes)
        } catch {
            // Well-formed but not I-JSON (a repeated member name): wrong content, named by pointer.
            if let pointer = error.pointer {
                return .failure(ValidationFailure(faults: [ValidationFault(pointer: pointer, message: error.message)]))
            }
            return .failure(ValidationFailure(faults: [
                ValidationFault(pointer: "", message: "is not valid JSON: \(error.message) at byte \(error.offset)"),
            ]))
        }
        return decode(tape, now: now)
    }

    /// A document already parsed as a tree (an upload inside a larger request).
    public static func decode(_ root: JSONValue, now: Date) -> Result<DecodedUpload, ValidationFailure> {
        decode(JSONTape(root), now: now)
    }

    static func decode(_ tape: JSONTape, now: Date) -> Result<DecodedUpload, ValidationFailure> {
        // Stored results are jsonb, which cannot hold U+0000: named here, before anything is
        // stored, instead of failing SQL on the body later (as policy documents already are).
        if let node = tape.firstStringHoldingNUL() {
            return .failure(ValidationFailure(faults: [
                ValidationFault(pointer: tape.pointer(to: node), message: "holds U+0000, which a stored result cannot hold"),
            ]))
        }
        var reader = ContractReader(tape)
        let root = tape.root
        guard tape.kind(root) == .object else {
            return .failure(ValidationFailure(faults: [ValidationFault(pointer: "", message: "must be an object, not \(tape.typeName(root))")]))
        }
        // A batch is recognised by its `results` member; a single result always has `schema`.
        guard let batch = tape.member(root, "results"), tape.member(root, "schema") == nil else {
            let result = reader.readResult(root, now: now)
            guard reader.faults.isEmpty, let result else { return .failure(ValidationFailure(faults: reader.faults)) }
            return .success(DecodedUpload(results: [result], wasBatch: false))
        }
        guard tape.kind(batch) == .array else {
            return .failure(ValidationFailure(faults: [ValidationFault(pointer: "/results", message: "must be an array, not \(tape.typeName(batch))")]))
        }
        let count = tape.count(batch)
        guard (1...maximumBatchCount).contains(count) else {
            return .failure(ValidationFailure(faults: [ValidationFault(
                pointer: "/results", message: "must hold between 1 and \(maximumBatchCount) results, not \(count)"
            )]))
        }
        var results: [ProbeResult] = []
        results.reserveCapacity(count)
        reader.within(.key("results")) { reader in
            tape.forEachElement(batch) { index, element in
                let result = reader.within(.index(index)) { reader -> ProbeResult? in
                    guard tape.kind(element) == .object else {
                        reader.fault("must be an object, not \(tape.typeName(element))")
                        return nil
                    }
                    return reader.readResult(element, now: now)
                }
                if let result { results.append(result) }
            }
        }
        if reader.faults.isEmpty { reader.checkDuplicateRunIDs(results) }
        guard reader.faults.isEmpty else { return .failure(ValidationFailure(faults: reader.faults)) }
        return .success(DecodedUpload(results: results, wasBatch: true))
    }
}

extension ContractReader {
    /// The same `run_id` twice in one batch is accepted only with the same content, mirroring
    /// the idempotency rule between uploads (probe-result-v1.md: otherwise a conflict).
    mutating func checkDuplicateRunIDs(_ results: [ProbeResult]) {
        var firstIndex: [UUID: Int] = [:]
        for (index, result) in results.enumerated() {
            if let first = firstIndex[result.runID] {
                if result.canonicalJSONBytes() != results[first].canonicalJSONBytes() {
                    fault(pointer: "/results/\(index)/run_id", "repeats the run_id of /results/\(first) with different content")
                }
            } else {
                firstIndex[result.runID] = index
            }
        }
    }
}
