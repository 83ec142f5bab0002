-- The latest single-valued figures of each month side by side: one column per figure family that
-- the registry (ref_figure_families) marks `in_monthly_pivot`, named by its family code, with the
-- unit it is rounded to and whether it was published as approximate. Adding such a family to the
-- seed adds its columns here. `publication_count` says from how many publications the row's
-- figures come: one, which makes `document_id` the source of every value in it (tested).
{%- set families_relation = ref('stg_reference__figure_families') %}
{%- set pivot_families = monthly_pivot_families(families_relation) %}
with

figures as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_for_figure

),

families as (

    select * from {{ families_relation }}
    where is_in_monthly_pivot

),

month_figures as (

    select figures.*
    from figures
    inner join families
        on figures.family_code = families.family_code

),

pivoted as (

    select
        reference_month,
        {% for code in pivot_families -%}
        max(case when family_code = '{{ code }}' then effective_value end) as {{ code }},
        max(case when family_code = '{{ code }}' then rounding_unit end) as {{ code }}_rounding_unit,
        bool_or(case when family_code = '{{ code }}' then is_approximate end) as {{ code }}_is_approximate,
        {% endfor -%}
        min(document_id) as document_id,
        count(distinct document_id) as publication_count

    from month_figures
    group by reference_month

)

select * from pivoted
