{#- The columns of a published figure, in one list for the intermediate models that pass figures
    on: as staging names them (stg_kerncijfers__published_figures), and with the codes and the
    correction int_published_figures_corrected adds (`corrected=true`). A model selects them as
    `{{ figure_columns('figures') }}`, each qualified by its relation and followed by a comma. -#}
{% macro published_figure_columns(corrected=false) -%}
    {%- set staged = [
        'document_id', 'figure_seq', 'figure_code', 'population_code', 'window_type', 'period_start',
        'period_end', 'subject_type', 'subject_label_nl', 'subject_label_key', 'published_value', 'unit',
        'is_approximate', 'rounding_unit', 'rounding_basis', 'source_line', 'source_text',
    ] -%}
    {%- set added = [
        'family_code', 'subject_code', 'corrected_value', 'effective_value', 'is_corrected', 'correction_reason',
    ] -%}
    {{- return(staged + added if corrected else staged) -}}
{%- endmacro %}

{% macro figure_columns(relation, corrected=false) -%}
    {%- for column in published_figure_columns(corrected) %}
        {{ relation }}.{{ column }},
    {%- endfor %}
{%- endmacro %}
