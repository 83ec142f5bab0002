-- The latest single-valued figures of each month side by side: first applications,
-- nareizigers, the safe-country share, the overall 12-month grant rate and the Dublin funnel,
-- each with the unit it is rounded to.
with

figures as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_vintage and subject_code = 'TOTAL'

),

pivoted as (

    select
        reference_month,
        {% for code in [
            'first_applications', 'family_reunification_arrivals', 'safe_country_share',
            'grant_rate', 'dublin_share', 'dublin_handled', 'dublin_rejected',
            'dublin_dublin_rejected'
        ] -%}
        max(case when figure_code = '{{ code }}' then value end) as {{ code }},
        max(case when figure_code = '{{ code }}' then rounding_unit end)
            as {{ code }}_rounding_unit,
        {% endfor -%}
        max(case when figure_code = 'first_applications' then document_id end) as document_id

    from figures
    where
        figure_code in (
            'first_applications', 'family_reunification_arrivals', 'safe_country_share',
            'grant_rate', 'dublin_share', 'dublin_handled', 'dublin_rejected',
            'dublin_dublin_rejected'
        )
    group by reference_month

)

select * from pivoted
