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
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            return .failure(ValidationFailure(faults: [
                ValidationFault(pointer: "", message: "is not valid JSON: \(error.message) at byte \(error.offset)"),
            ]))
        }
        return decode(root, now: now)
    }

    public static func decode(_ root: JSONValue, now: Date) -> Result<DecodedUpload, ValidationFailure> {
        var reader = ContractReader()
        guard case .object = root else {
            return .failure(ValidationFailure(faults: [ValidationFault(pointer: "", message: "must be an object, not \(root.typeName)")]))
        }
        // A batch is recognised by its `results` member; a single result always has `schema`.
        guard let batch = root["results"], root["schema"] == nil else {
            let result = reader.readResult(root, now: now)
            guard reader.faults.isEmpty, let result else { return .failure(ValidationFailure(faults: reader.faults)) }
            return .success(DecodedUpload(results: [result], wasBatch: false))
        }
        guard case let .array(elements) = batch else {
            return .failure(ValidationFailure(faults: [ValidationFault(pointer: "/results", message: "must be an array, not \(batch.typeName)")]))
        }
        guard (1...maximumBatchCount).contains(elements.count) else {
            return .failure(ValidationFailure(faults: [ValidationFault(
                pointer: "/results", message: "must hold between 1 and \(maximumBatchCount) results, not \(elements.count)"
            )]))
        }
        var results: [ProbeResult] = []
        results.reserveCapacity(elements.count)
        reader.within(.key("results")) { reader in
            for (index, element) in elements.enumerated() {
                let result = reader.within(.index(index)) { reader -> ProbeResult? in
                    guard case .object = element else {
                        reader.fault("must be an object, not \(element.typeName)")
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
