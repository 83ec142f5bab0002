-- Nationality shares of first applicants and nareizigers with the counts they imply. A share is
-- applied to the month's published count its family is a share of (the registry's
-- share_of_family_code: first applications, nareizigers arrived); the bounds carry the rounding
-- of both (see macros/estimated_counts.sql). Shares of a figure no count is published for (the
-- twelve-month shares) have null estimates rather than guessed ones.
with

figures as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_for_figure

),

families as (

    select * from {{ ref('stg_reference__figure_families') }}

),

-- The figures some family is declared a share of a count by (the nationality shares), and every
-- family of them, over the month and over twelve months.
share_figures as (

    select distinct figure_code
    from families
    where share_of_family_code is not null

),

share_families as (

    select
        families.family_code,
        families.share_of_family_code

    from families
    inner join share_figures
        on families.figure_code = share_figures.figure_code

),

base_families as (

    select distinct share_of_family_code as family_code
    from families
    where share_of_family_code is not null

),

shares as (

    select
        figures.*,
        share_families.share_of_family_code

    from figures
    inner join share_families
        on figures.family_code = share_families.family_code

),

totals as (

    select
        figures.family_code,
        figures.reference_month,
        figures.effective_value as base_count,
        figures.rounding_unit as base_rounding_unit

    from figures
    inner join base_families
        on figures.family_code = base_families.family_code

),

joined as (

    select
        shares.population_code,
        shares.window_type,
        shares.period_start,
        shares.period_end,
        shares.reference_month,
        shares.subject_code as nationality_code,
        shares.subject_label_nl as nationality_label_nl,
        shares.subject_code = 'OTHER' as is_residual,
        shares.effective_value as share_pct,
        shares.is_approximate,
        shares.rounding_unit as share_rounding_unit,
        shares.share_of_family_code as base_family_code,
        totals.base_count,
        totals.base_rounding_unit,
        shares.document_id,
        shares.figure_seq,
        shares.source_line

    from shares
    left join totals
        on
            shares.share_of_family_code = totals.family_code
            and shares.reference_month = totals.reference_month

),

estimated as (

    select
        *,
        {{ estimated_count('share_pct', 'base_count') }} as estimated_count,
        {{ estimated_count_low('share_pct', 'share_rounding_unit', 'base_count', 'base_rounding_unit') }}
            as estimated_count_low,
        {{ estimated_count_high('share_pct', 'share_rounding_unit', 'base_count', 'base_rounding_unit') }}
            as estimated_count_high

    from joined

)

select * from estimated
