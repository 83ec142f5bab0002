with

purposes as (

    select * from {{ ref('stg_reference__permit_purposes') }}

),

final as (

    select
        purpose_code,
        purpose_name_en as name_en,
        purpose_label_nl as label_nl,
        purpose_description as description

    from purposes

)

select * from final
