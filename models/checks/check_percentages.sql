-- Every percentage of every publication and vintage, as the marts use it (a reviewed correction
-- where there is one): one row per figure.
with

figures as (

    select * from {{ ref('fct_published_figures') }}
    where unit = 'percent'

),

final as (

    select
        document_id,
        family_code,
        coalesce(subject_code, subject_label_nl, 'TOTAL') as subject,
        figure_seq,
        source_line,
        coalesce(corrected_value, published_value) as value_pct

    from figures

)

select * from final
