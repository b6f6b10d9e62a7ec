import HTTPServer
import Testing
@testable import ReadinessApp

/// Storage code throws its own errors; `DatabaseErrors.translated`, the responder's one error
/// translation, answers them exactly as the HTTP errors storage used to throw itself.
@Suite struct StorageErrorTranslationTests {
    @Test func aMissingSiteIsAnsweredAsNotFoundNamingTheIdAsGiven() throws {
        let translated = try #require(DatabaseErrors.translated(SiteNotFound("not-a-site")) as? HTTPError)
        #expect(translated.status == .notFound)
        #expect(translated.type == ProblemTypes.notFound.uri)
        #expect(translated.detail == "no site 'not-a-site' exists")
        let long = try #require(DatabaseErrors.translated(SiteNotFound(String(repeating: "x", count: 100))) as? HTTPError)
        #expect(long.detail == "no site '\(String(repeating: "x", count: 64))' exists")
        let unnamed = try #require(DatabaseErrors.translated(SiteNotFound(nil)) as? HTTPError)
        #expect(unnamed.detail == "no site  exists")
    }

    @Test(arguments: [
        (StoreError.assessmentNotRead, "the stored assessment was not read"),
        (.policyVersionMissing(of: .assessment), "the assessment's policy version is not available"),
        (.policyVersionMissing(of: .result), "the result's policy version is not available"),
        (.sitePolicyMissing, "the site's policy is not available"),
    ])
    func storedDataThatNamesWhatIsMissingIsAServerError(error: StoreError, detail: String) throws {
        let translated = try #require(DatabaseErrors.translated(error) as? HTTPError)
        #expect(translated.status == .internalServerError)
        #expect(translated.type == nil)
        #expect(translated.detail == detail)
    }
}
