using Dapper;
using Markdig;
using Npgsql;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Features.Contests;

public sealed record ContestRequest(
    string? Name, string? DescriptionMd, int? OrganizingUnitId, string? PredictionKind = PredictionKinds.PerfectScores,
    string? Slug = null, string[]? EligibleTypes = null, int[]? EligibleUnitIds = null, bool NationalIdRequired = false,
    bool OnePrizePerPerson = false, string? AnswersShown = null, int? RetentionDays = null) : Organizers.IOwnedByUnit
{
    int? Organizers.IOwnedByUnit.OwningUnitId => OrganizingUnitId;
}

/// <summary>A round as organizers set it; times in Vietnam time ("2026-12-07T10:00") or with an offset.</summary>
public sealed record RoundRequest(
    string? OpensAt, string? ClosesAt, int? TimeLimitMinutes, int? AttemptsAllowed, List<BlueprintLine>? Blueprint,
    List<PrizeTier>? PrizeStructure = null, int? Number = null);

public abstract record SetupResult<T>
{
    public sealed record Ok(T Value) : SetupResult<T>;

    public sealed record Invalid(List<string> Errors) : SetupResult<T>;

    public sealed record Refused(string Message) : SetupResult<T>;

    public sealed record NotFound : SetupResult<T>;
}

/// <summary>Organizers create and change contests and rounds; the rules that keep a running round fair live in <see cref="RoundRules"/>.</summary>
public sealed class ContestSetup(NpgsqlDataSource dataSource, ContestStore store, TimeProvider clock)
{
    public static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    public async Task<SetupResult<ContestView>> CreateContestAsync(ContestRequest request, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var (contest, errors) = await ValidateAsync(connection, request, ct);
        if (contest is null || RetentionError(request) is not null)
        {
            return new SetupResult<ContestView>.Invalid([.. errors, .. RetentionError(request) is { } r ? [r] : Array.Empty<string>()]);
        }
        var now = clock.GetUtcNow();
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO contests (slug, name, description_md, description_html, organizing_unit_id, eligible_types, eligible_unit_ids,
                                      national_id_required, prediction_kind, one_prize_per_person, answers_shown, retention_days, created_at, updated_at)
                VALUES (@Slug, @Name, @DescriptionMd, @DescriptionHtml, @OrganizingUnitId, @EligibleTypes, @EligibleUnitIds,
                        @NationalIdRequired, @PredictionKind, @OnePrizePerPerson, @AnswersShown, coalesce(@RetentionDays, 365), @now, @now)
                RETURNING id
                """, new
            {
                contest.Slug, contest.Name, contest.DescriptionMd, contest.DescriptionHtml, contest.OrganizingUnitId, contest.EligibleTypes,
                contest.EligibleUnitIds, contest.NationalIdRequired, contest.PredictionKind, contest.OnePrizePerPerson, contest.AnswersShown, now,
                request.RetentionDays,
            }, cancellationToken: ct));
            return new SetupResult<ContestView>.Ok((await store.GetAsync(id, ct))!);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new SetupResult<ContestView>.Invalid([$"Đường dẫn \"{contest.Slug}\" đã có cuộc thi khác dùng; đặt đường dẫn (slug) khác."]);
        }
    }

    public async Task<SetupResult<ContestView>> UpdateContestAsync(long id, ContestRequest request, CancellationToken ct = default)
    {
        var current = await store.GetAsync(id, ct);
        if (current is null)
        {
            return new SetupResult<ContestView>.NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var (contest, errors) = await ValidateAsync(connection, request with { Slug = request.Slug ?? current.Slug }, ct);
        if (contest is null || RetentionError(request) is not null)
        {
            return new SetupResult<ContestView>.Invalid([.. errors, .. RetentionError(request) is { } r ? [r] : Array.Empty<string>()]);
        }
        var now = clock.GetUtcNow();
        var started = current.Rounds.Any(r => now >= r.OpensAt);
        if (started && (contest.PredictionKind != current.PredictionKind || contest.NationalIdRequired != current.NationalIdRequired
            || contest.AnswersShown != current.AnswersShown
            || !contest.EligibleTypes.Order(StringComparer.Ordinal).SequenceEqual(current.EligibleTypes.Order(StringComparer.Ordinal))
            || !contest.EligibleUnitIds.Order().SequenceEqual(current.EligibleUnitIds.Order())))
        {
            return new SetupResult<ContestView>.Refused("Cuộc thi đã có tuần thi mở: không thể đổi câu hỏi dự đoán, đối tượng, đơn vị được dự thi "
                + "yêu cầu CCCD hoặc thời điểm hiện đáp án vì người dự thi phải thi cùng điều kiện.");
        }
        if (contest.OnePrizePerPerson != current.OnePrizePerPerson && current.Rounds.Any(r => r.ResultsPublishedAt is not null))
        {
            return new SetupResult<ContestView>.Refused("Đã công bố kết quả một tuần thi: không thể đổi quy định mỗi người chỉ nhận một giải.");
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE contests SET slug = @Slug, name = @Name, description_md = @DescriptionMd, description_html = @DescriptionHtml,
                    organizing_unit_id = @OrganizingUnitId, eligible_types = @EligibleTypes, eligible_unit_ids = @EligibleUnitIds,
                    national_id_required = @NationalIdRequired, prediction_kind = @PredictionKind,
                    one_prize_per_person = @OnePrizePerPerson, answers_shown = @AnswersShown,
                    retention_days = coalesce(@RetentionDays, retention_days), updated_at = @now
                WHERE id = @id
                """, new
            {
                id, contest.Slug, contest.Name, contest.DescriptionMd, contest.DescriptionHtml, contest.OrganizingUnitId, contest.EligibleTypes,
                contest.EligibleUnitIds, contest.NationalIdRequired, contest.PredictionKind, contest.OnePrizePerPerson, contest.AnswersShown, now,
                request.RetentionDays,
            }, cancellationToken: ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new SetupResult<ContestView>.Invalid([$"Đường dẫn \"{contest.Slug}\" đã có cuộc thi khác dùng; đặt đường dẫn (slug) khác."]);
        }
        return new SetupResult<ContestView>.Ok((await store.GetAsync(id, ct))!);
    }

    /// <summary>Days personal data is kept after the last round closes (Features/Privacy: <c>privacy purge</c>).</summary>
    private static string? RetentionError(ContestRequest request) => request.RetentionDays is { } days and (< 30 or > 3650)
        ? $"Thời hạn lưu dữ liệu cá nhân là từ 30 đến 3650 ngày sau tuần thi cuối (bạn nhập {days})."
        : null;

    public async Task<SetupResult<RoundView>> CreateRoundAsync(long contestId, RoundRequest request, CancellationToken ct = default)
    {
        var contest = await store.GetAsync(contestId, ct);
        if (contest is null)
        {
            return new SetupResult<RoundView>.NotFound();
        }
        var (settings, errors) = Parse(request);
        var now = clock.GetUtcNow();
        if (settings is not null)
        {
            errors.AddRange(RoundRules.Validate(settings, now));
        }
        var number = request.Number ?? (contest.Rounds.Count == 0 ? 1 : contest.Rounds.Max(r => r.Number) + 1);
        if (contest.Rounds.Any(r => r.Number == number))
        {
            errors.Add($"Cuộc thi đã có tuần thi số {number}.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (errors.Count == 0 && Blueprint.CheckBank(settings!.Blueprint, await ContestStore.LoadBankAsync(connection, null, ct)) is { } bankError)
        {
            errors.Add(bankError);
        }
        if (errors.Count > 0)
        {
            return new SetupResult<RoundView>.Invalid(errors);
        }
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO contest_rounds (contest_id, number, opens_at, closes_at, question_count, blueprint, time_limit_seconds,
                                            attempts_allowed, prize_structure, created_at, updated_at)
                VALUES (@contestId, @number, @OpensAt, @ClosesAt, @QuestionCount, @Blueprint::jsonb, @TimeLimitSeconds, @AttemptsAllowed,
                        @PrizeStructure::jsonb, @now, @now)
                RETURNING id
                """, Row(settings!, new { contestId, number, now }), cancellationToken: ct));
            return new SetupResult<RoundView>.Ok((await store.GetRoundAsync(id, ct))!);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new SetupResult<RoundView>.Invalid([$"Cuộc thi đã có tuần thi số {number}."]);
        }
    }

    public async Task<SetupResult<RoundView>> UpdateRoundAsync(long roundId, RoundRequest request, CancellationToken ct = default)
    {
        var (proposed, errors) = Parse(request);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Locked, so the check against "has it opened / closed" and the write see the same round.
        var current = await ContestStore.GetRoundAsync(connection, roundId, tx, ct, forUpdate: true);
        if (current is null)
        {
            return new SetupResult<RoundView>.NotFound();
        }
        var now = clock.GetUtcNow();
        if (proposed is null)
        {
            return new SetupResult<RoundView>.Invalid(errors);
        }
        if (RoundRules.RefuseChange(current.Settings, proposed, now, current.ClosedAt is not null, current.ResultsPublishedAt is not null) is { } refusal)
        {
            return new SetupResult<RoundView>.Refused(refusal);
        }
        // A running round keeps its (already validated) past opening; only what may still change is re-validated.
        // An unchanged closing time that has passed is not an error: prizes may still be set until publication.
        errors.AddRange(RoundRules.Validate(proposed, proposed.ClosesAt != current.ClosesAt ? now : null));
        if (errors.Count == 0 && now < current.OpensAt
            && Blueprint.CheckBank(proposed.Blueprint, await ContestStore.LoadBankAsync(connection, tx, ct)) is { } bankError)
        {
            errors.Add(bankError);
        }
        if (errors.Count > 0)
        {
            return new SetupResult<RoundView>.Invalid(errors);
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE contest_rounds SET opens_at = @OpensAt, closes_at = @ClosesAt, question_count = @QuestionCount, blueprint = @Blueprint::jsonb,
                time_limit_seconds = @TimeLimitSeconds, attempts_allowed = @AttemptsAllowed, prize_structure = @PrizeStructure::jsonb, updated_at = @now
            WHERE id = @roundId
            """, Row(proposed, new { roundId, now }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SetupResult<RoundView>.Ok((await store.GetRoundAsync(roundId, ct))!);
    }

    private static DynamicParameters Row(RoundSettings s, object extra)
    {
        var p = new DynamicParameters(extra);
        p.AddDynamicParams(new
        {
            s.OpensAt,
            s.ClosesAt,
            QuestionCount = Blueprint.QuestionCount(s.Blueprint),
            Blueprint = RoundRules.ToJson(s.Blueprint),
            s.TimeLimitSeconds,
            s.AttemptsAllowed,
            PrizeStructure = RoundRules.ToJson(s.PrizeStructure),
        });
        return p;
    }

    private static (RoundSettings? Settings, List<string> Errors) Parse(RoundRequest request)
    {
        var errors = new List<string>();
        var (opens, opensError) = VietnamTime.Parse(request.OpensAt, "giờ mở");
        var (closes, closesError) = VietnamTime.Parse(request.ClosesAt, "giờ đóng");
        errors.AddRange(new[] { opensError, closesError }.OfType<string>());
        if (request.TimeLimitMinutes is null)
        {
            errors.Add("Vui lòng nhập thời gian làm bài (phút).");
        }
        if (request.AttemptsAllowed is null)
        {
            errors.Add("Vui lòng nhập số lượt thi mỗi tuần.");
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var blueprint = (request.Blueprint ?? []).Select(l => l with
        {
            Topic = string.IsNullOrWhiteSpace(l.Topic) ? null : l.Topic.Trim(),
            Difficulty = string.IsNullOrWhiteSpace(l.Difficulty) ? null : l.Difficulty.Trim(),
        }).ToList();
        var prizes = (request.PrizeStructure ?? [.. Prizes.Default]).Select(t => t with { Name = VietnameseText.Clean(t.Name), Code = t.Code?.Trim() ?? "" }).ToList();
        return (new RoundSettings(opens!.Value, closes!.Value, blueprint, request.TimeLimitMinutes!.Value * 60, request.AttemptsAllowed!.Value, prizes), errors);
    }

    private sealed record ValidContest(
        string Slug, string Name, string DescriptionMd, string DescriptionHtml, int OrganizingUnitId, string[] EligibleTypes,
        int[] EligibleUnitIds, bool NationalIdRequired, string PredictionKind, bool OnePrizePerPerson, string AnswersShown);

    private static async Task<(ValidContest? Contest, List<string> Errors)> ValidateAsync(NpgsqlConnection connection, ContestRequest request, CancellationToken ct)
    {
        var errors = new List<string>();
        var name = VietnameseText.Clean(request.Name);
        if (name.Length is < 3 or > 200)
        {
            errors.Add("Tên cuộc thi cần từ 3 đến 200 ký tự.");
        }
        var description = (request.DescriptionMd ?? "").Normalize(System.Text.NormalizationForm.FormC).Trim();
        if (description.Length == 0)
        {
            errors.Add("Vui lòng nhập thể lệ (mô tả cuộc thi, viết bằng Markdown).");
        }
        var slug = string.IsNullOrWhiteSpace(request.Slug) ? SlugOf(name) : request.Slug.Trim();
        if (!System.Text.RegularExpressions.Regex.IsMatch(slug, "^[a-z0-9]+(-[a-z0-9]+)*$") || slug.Length > 80)
        {
            errors.Add($"Đường dẫn \"{slug}\" chỉ gồm chữ thường không dấu, số và dấu gạch nối, tối đa 80 ký tự.");
        }
        var kind = request.PredictionKind ?? PredictionKinds.PerfectScores;
        if (!PredictionKinds.All.Contains(kind))
        {
            errors.Add($"Loại câu hỏi dự đoán \"{kind}\" không có; dùng perfect_scores (số người đúng hết) hoặc entries (số lượt thi).");
        }
        var answersShown = request.AnswersShown ?? AnswerReveal.AfterRoundClose;
        if (!AnswerReveal.All.Contains(answersShown))
        {
            errors.Add($"Thời điểm hiện đáp án \"{answersShown}\" không có; dùng after_round_close (khi tuần thi kết thúc), "
                + "after_last_attempt (sau lượt thi cuối của người dự thi) hoặc after_each_attempt (sau mỗi lượt).");
        }
        var types = (request.EligibleTypes ?? []).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var t in types.Where(t => !ParticipantTypes.Names.ContainsKey(t)))
        {
            errors.Add($"Đối tượng \"{t}\" không có; dùng student, employee hoặc citizen.");
        }
        var units = (request.EligibleUnitIds ?? []).Distinct().ToArray();
        var wanted = units.Append(request.OrganizingUnitId ?? 0).Distinct().ToArray();
        var known = (await connection.QueryAsync<int>(new CommandDefinition("SELECT id FROM units WHERE id = ANY(@wanted)", new { wanted }, cancellationToken: ct))).ToHashSet();
        if (request.OrganizingUnitId is not { } organizer || !known.Contains(organizer))
        {
            errors.Add("Vui lòng chọn đơn vị tổ chức trong danh sách đơn vị.");
        }
        if (units.Any(u => !known.Contains(u)))
        {
            errors.Add($"Không có đơn vị mã số {string.Join(", ", units.Where(u => !known.Contains(u)))} trong danh sách.");
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new ValidContest(slug, name, description, DescriptionHtml(description), request.OrganizingUnitId!.Value, types, units,
            request.NationalIdRequired, kind, request.OnePrizePerPerson, answersShown), errors);
    }

    // Raw HTML is text (DisableHtml); a javascript: or other-scheme link and images become harmless (BankMarkdown.Neutralise).
    private static string DescriptionHtml(string description)
    {
        var document = Markdig.Markdown.Parse(description, Markdown);
        QuestionBank.BankMarkdown.Neutralise(document);
        return Markdig.Markdown.ToHtml(document, Markdown);
    }

    private static string SlugOf(string name)
    {
        var slug = VietnameseText.Slug(name);
        return slug.Length <= 80 ? slug : slug[..80].TrimEnd('-');
    }
}
