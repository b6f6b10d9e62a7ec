/// `--every` durations: one or more `<number><unit>` parts with units `s`, `m`, `h`
/// (`90s`, `15m`, `1h`, `1h30m`).
public enum ScheduleDuration {
    /// Runs closer together than this would measure the agent's own traffic more than the
    /// network (the UDP idle-timeout probe alone idles for minutes).
    public static let minimumSeconds = 10

    public static func parse(_ text: String) -> Int? {
        var total = 0
        var digits = ""
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            digits = ""
        }
        guard digits.isEmpty, total > 0 else { return nil }
        return total
    }
}
